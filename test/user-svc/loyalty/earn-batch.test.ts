import type { FastifyInstance } from "fastify";
import t from "tap";
import { MAX_EARN_BATCH } from "../../../contracts/user-svc/loyalty.js";
import { type Account, startAuth } from "../../helpers/auth.js";

// POST /api/loyalty/earn/batch: booking-svc's flown job earns a round's legs in one call, each
// leg as POST /api/loyalty/earn would earn it (one entry per booking leg, a retry answering the
// first), a refused leg answered in its place without holding back the others.

const auth = await startAuth(t);
const app: FastifyInstance = auth.app;
const service = await auth.service();

const post = (url: string, payload: unknown, who: Account | null = service) =>
  app.inject({ method: "POST", url, payload: payload as object, headers: who?.headers ?? {} });
const batch = (items: unknown[], who: Account | null = service) => post("/api/loyalty/earn/batch", { items }, who);

/** Balance and sum of entries of the accounts, read straight from users_db. */
async function ledgerTruth(userIds: number[]) {
  return app.sql<{ user_id: number; balance: number; sum: number }[]>`
    SELECT a.user_id::int AS user_id, a.balance::int AS balance,
      (SELECT COALESCE(sum(miles), 0)::int FROM loyalty_entries e WHERE e.user_id = a.user_id) AS sum
    FROM loyalty_accounts a WHERE a.user_id = ANY(${userIds}::bigint[]) ORDER BY a.user_id`;
}

const entriesOf = async (userId: number) =>
  (await app.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM loyalty_entries WHERE user_id = ${userId}`)[0]?.n;

t.test("a batch earns each leg once; the same batch again answers the same entries and moves nothing", async (t) => {
  const ada = await auth.customer("ada");
  const bob = await auth.customer("bob");
  const single = await post("/api/loyalty/earn", { user_id: ada.userId, booking_id: 1, flight_id: 1, miles: 100 });
  const items = [
    { user_id: ada.userId, booking_id: 1, flight_id: 1, miles: 100 },
    { user_id: bob.userId, booking_id: 2, flight_id: 1, miles: 250, flown_at: "2090-01-01T08:00:00Z" },
    { user_id: ada.userId, booking_id: 3, flight_id: 2, miles: 40, booking_nonce: "n0nce" },
    // Twice in one batch: one entry.
    { user_id: ada.userId, booking_id: 3, flight_id: 2, miles: 40, booking_nonce: "n0nce" },
  ];
  const first = await batch(items);
  t.equal(first.statusCode, 200);
  const results = first.json().results;
  t.same(
    results.map((r: { status: number }) => r.status),
    [200, 200, 200, 200],
  );
  t.equal(results[0].body.entry.id, single.json().entry.id, "a leg earned singly before is answered its entry");
  t.equal(results[2].body.entry.id, results[3].body.entry.id, "a leg twice in the batch is one entry");
  t.match(results[1].body, {
    entry: { kind: "earn", miles: 250, booking_id: 2, flown_at: "2090-01-01T08:00:00.000Z" },
    balance: 250,
  });
  t.equal(results[2].body.balance, 140);

  const again = await batch(items);
  t.same(again.json(), first.json(), "a retried batch answers the first entries, as they were");
  const single2 = await post("/api/loyalty/earn", items[1]);
  t.same(single2.json(), results[1].body, "and the single earn answers the batch's entry");
  t.same(await ledgerTruth([ada.userId, bob.userId]), [
    { user_id: ada.userId, balance: 140, sum: 140 },
    { user_id: bob.userId, balance: 250, sum: 250 },
  ]);
  t.equal(await entriesOf(ada.userId), 2);
});

t.test("a refused leg is answered its refusal and the others of the batch earn", async (t) => {
  const cyd = await auth.customer("cyd");
  const res = await batch([
    { user_id: cyd.userId, booking_id: 10, flight_id: 1, miles: 10 },
    { user_id: cyd.userId, booking_id: 11, flight_id: 1, miles: 20, flown_at: "1990-01-01T00:00:00Z" },
    { user_id: cyd.userId, booking_id: 12, flight_id: 1, miles: 30 },
  ]);
  t.equal(res.statusCode, 200);
  const results = res.json().results;
  t.same(
    results.map((r: { status: number }) => r.status),
    [200, 400, 200],
  );
  t.match(results[1].body, { error: "validation_error", field: "flown_at" });
  t.same(
    results[1].body,
    (
      await post("/api/loyalty/earn", {
        user_id: cyd.userId,
        booking_id: 11,
        flight_id: 1,
        miles: 20,
        flown_at: "1990-01-01T00:00:00Z",
      })
    ).json(),
    "the refusal the single earn gives",
  );
  t.same(await ledgerTruth([cyd.userId]), [{ user_id: cyd.userId, balance: 40, sum: 40 }]);
});

t.test("a batch out of the schema is refused whole; the route is booking-svc's alone", async (t) => {
  const dov = await auth.customer("dov");
  const leg = { user_id: dov.userId, booking_id: 20, flight_id: 1, miles: 5 };
  t.equal((await batch([])).statusCode, 400);
  const tooMany = Array.from({ length: MAX_EARN_BATCH + 1 }, (_, i) => ({ ...leg, booking_id: 100 + i }));
  t.equal((await batch(tooMany)).statusCode, 400);
  t.equal((await batch([leg, { ...leg, miles: 0 }])).statusCode, 400);
  t.equal((await batch([leg], dov)).statusCode, 403);
  t.equal((await batch([leg], null)).statusCode, 401);
  t.equal(await entriesOf(dov.userId), 0);
});

t.test("batches sharing accounts and legs, beside debits, keep every balance the sum of its entries", async (t) => {
  const users = await Promise.all(["eve", "fay", "gus"].map((n) => auth.customer(n)));
  const ids = users.map((u) => u.userId);
  const legs = Array.from({ length: 110 }, (_, i) => ({
    user_id: ids[i % 3] as number,
    booking_id: 1000 + i,
    flight_id: 1 + (i % 4),
    miles: 10 + i,
  }));
  const expected = ids.map((id) => {
    const own = legs.filter((l) => l.user_id === id);
    return [id, own.reduce((n, l) => n + l.miles, 0), own.length];
  });
  // Each batch a different slice and order of the same legs: shared accounts and shared keys.
  const batches = Array.from({ length: 12 }, (_, b) => {
    const slice = legs.slice((b * 10) % 60, ((b * 10) % 60) + 60);
    return b % 2 === 0 ? slice : slice.reverse();
  });
  const debits = Array.from({ length: 60 }, (_, i) =>
    post("/api/loyalty/debit", { user_id: ids[i % 3], booking_id: 5000 + i, key: `k-${i}`, miles: 50 }),
  );
  const replies = await Promise.all([...batches.map((items) => batch(items)), ...debits]);
  const batchReplies = replies.slice(0, batches.length);
  t.same(new Set(batchReplies.map((r) => r.statusCode)), new Set([200]), "no batch failed (no deadlock)");
  t.same(
    new Set(batchReplies.flatMap((r) => r.json().results.map((x: { status: number }) => x.status))),
    new Set([200]),
  );
  t.ok(
    replies.slice(batches.length).every((r) => r.statusCode === 200 || r.statusCode === 402),
    "each debit taken or refused for want of miles",
  );
  const truth = await ledgerTruth(ids);
  t.ok(
    truth.every((a) => a.balance === a.sum && a.balance >= 0),
    "balance = sum of entries",
  );
  const earns = await app.sql<{ user_id: number; miles: number; n: number }[]>`
    SELECT user_id::int, sum(miles)::int AS miles, count(*)::int AS n FROM loyalty_entries
    WHERE kind = 'earn' AND user_id = ANY(${ids}::bigint[]) GROUP BY user_id ORDER BY user_id`;
  t.same(
    earns.map((e) => [e.user_id, e.miles, e.n]),
    expected.sort((a, b) => (a[0] as number) - (b[0] as number)),
    "each leg earned exactly once",
  );
});

t.test("batches naming the same accounts in opposite orders neither deadlock nor fail", async (t) => {
  const [hal, ivy] = await Promise.all(["hal", "ivy"].map((n) => auth.customer(n)));
  const pair = (round: number, users: number[]) =>
    users.flatMap((user_id, i) =>
      Array.from({ length: 20 }, (_, j) => ({
        user_id,
        booking_id: 90_000 + round * 100 + i * 20 + j,
        flight_id: 1,
        miles: 1,
      })),
    );
  const ids = [hal?.userId, ivy?.userId] as number[];
  const replies = await Promise.all(
    Array.from({ length: 20 }, (_, r) => batch(pair(r, r % 2 === 0 ? ids : [...ids].reverse()))),
  );
  t.same(new Set(replies.map((r) => r.statusCode)), new Set([200]));
  t.same(
    (await ledgerTruth(ids)).map((a) => [a.balance, a.sum]),
    [
      [400, 400],
      [400, 400],
    ],
  );
});
