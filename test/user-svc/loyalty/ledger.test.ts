import type { FastifyInstance } from "fastify";
import t from "tap";
import { Ledger } from "../../../user-svc/loyalty/ledger.js";
import { type Account, type Auth, startAuth } from "../../helpers/auth.js";

// The miles ledger through user-svc's routes, with real tokens: booking-svc's service token
// earns, debits and refunds; a customer reads their statement; an admin adjusts.

interface Ctx {
  auth: Auth;
  app: FastifyInstance;
  service: Account;
  ada: Account;
}

async function setup(t: { teardown: (fn: () => unknown) => void }): Promise<Ctx> {
  const auth = await startAuth(t);
  return { auth, app: auth.app, service: await auth.service(), ada: await auth.customer("ada") };
}

const post = (c: Ctx, url: string, payload: unknown, who: Account = c.service) =>
  c.app.inject({ method: "POST", url, payload: payload as object, headers: who.headers });
const statement = async (c: Ctx, query = "") =>
  c.app.inject({ url: `/api/loyalty/me${query}`, headers: c.ada.headers });

/** Balance and sum of entries of every account, read straight from users_db. */
async function ledgerTruth(app: FastifyInstance) {
  return app.sql<{ user_id: number; balance: number; sum: number }[]>`
    SELECT a.user_id::int AS user_id, a.balance::int AS balance,
      (SELECT COALESCE(sum(miles), 0)::int FROM loyalty_entries e WHERE e.user_id = a.user_id) AS sum
    FROM loyalty_accounts a`;
}

t.test("a new account has no miles, the basic tier and an empty statement", async (t) => {
  const c = await setup(t);
  const res = await statement(c);
  t.equal(res.statusCode, 200);
  t.same(res.json(), { balance: 0, tier: "basic", entries: [], next_cursor: null });
  const me = await c.app.inject({ url: "/api/users/me", headers: c.ada.headers });
  t.equal(me.json().tier, "basic");
});

t.test("a flown leg earns once, however often and however concurrently it is reported", async (t) => {
  const c = await setup(t);
  const leg = { user_id: c.ada.userId, booking_id: 7, flight_id: 3, miles: 708 };
  const replies = await Promise.all(Array.from({ length: 8 }, () => post(c, "/api/loyalty/earn", leg)));
  t.same(new Set(replies.map((r) => r.statusCode)), new Set([200]));
  t.equal(new Set(replies.map((r) => r.json().entry.id)).size, 1, "every retry answers the same entry");
  await post(c, "/api/loyalty/earn", { ...leg, flight_id: 4, miles: 100 });
  const res = (await statement(c)).json();
  t.equal(res.balance, 808);
  t.match(res.entries, [
    { kind: "earn", miles: 100, booking_id: 7 },
    { kind: "earn", miles: 708, booking_id: 7 },
  ]);
  t.same(await ledgerTruth(c.app), [{ user_id: c.ada.userId, balance: 808, sum: 808 }]);
});

t.test("a booking with an earlier booking's id and a nonce of its own earns its leg, once", async (t) => {
  const c = await setup(t);
  const earlier = { user_id: c.ada.userId, booking_id: 7, flight_id: 3, miles: 708 };
  const before = (await post(c, "/api/loyalty/earn", earlier)).json().entry.id;
  const again = { ...earlier, booking_nonce: "0f3a9c1e5b7d2468" };
  const replies = await Promise.all([1, 2, 3].map(() => post(c, "/api/loyalty/earn", again)));
  t.same(new Set(replies.map((r) => r.statusCode)), new Set([200]));
  const ids = new Set(replies.map((r) => r.json().entry.id));
  t.equal(ids.size, 1, "every retry answers the same entry");
  t.not([...ids][0], before, "not the earlier booking's");
  t.equal((await statement(c)).json().balance, 2 * 708);
  const bad = await post(c, "/api/loyalty/earn", { ...earlier, booking_nonce: "a:b" });
  t.match(bad.json(), { error: "validation_error", field: "booking_nonce" });
});

// Entries are recorded now, in this year; flown_at puts a leg on the last night of the one before.
const YEAR = new Date().getUTCFullYear();
const LAST_YEAR_NIGHT = `${YEAR - 1}-12-31T23:30:00Z`;
/** The tier as user-svc reads it while `at` is the time. */
const tierAt = (c: Ctx, at: string) => new Ledger(c.app.sql, () => new Date(at)).tier(c.ada.userId);

t.test("a leg flown on 31 December but recorded in January counts for the old year's tier", async (t) => {
  const c = await setup(t);
  const leg = { user_id: c.ada.userId, booking_id: 7, miles: 20_000 };
  const earned = await post(c, "/api/loyalty/earn", { ...leg, flight_id: 1, flown_at: LAST_YEAR_NIGHT });
  t.equal(earned.statusCode, 200);
  t.equal(earned.json().entry.flown_at, `${YEAR - 1}-12-31T23:30:00.000Z`);
  // 04:00 on 1 January in India is 22:30 UTC on 31 December: the year is UTC's.
  await post(c, "/api/loyalty/earn", { ...leg, flight_id: 2, miles: 5_000, flown_at: `${YEAR}-01-01T04:00:00+05:30` });

  t.equal(await tierAt(c, `${YEAR - 1}-12-31T23:59:59Z`), "silver", "25,000 miles flown last year");
  const now = (await statement(c)).json();
  t.match(now, { balance: 25_000, tier: "basic" }, "this year has no flying yet");
  t.same(
    now.entries.map((e: { flown_at: string; at: string }) => [e.flown_at, e.at.slice(0, 4)]),
    [
      [`${YEAR - 1}-12-31T22:30:00.000Z`, String(YEAR)],
      [`${YEAR - 1}-12-31T23:30:00.000Z`, String(YEAR)],
    ],
    "the statement shows when each leg was flown beside when it was recorded",
  );
});

t.test("an earn without flown_at (an older booking-svc) counts in the year it is recorded", async (t) => {
  const c = await setup(t);
  const leg = { user_id: c.ada.userId, booking_id: 7, miles: 25_000 };
  const old = await post(c, "/api/loyalty/earn", { ...leg, flight_id: 1 });
  t.equal(old.statusCode, 200);
  t.notOk("flown_at" in old.json().entry);
  t.equal((await post(c, "/api/loyalty/earn", { ...leg, flight_id: 2, flown_at: LAST_YEAR_NIGHT })).statusCode, 200);
  t.equal((await statement(c)).json().tier, "silver", "this year: the one recorded now, not the one flown last year");
  t.equal(await tierAt(c, `${YEAR - 1}-06-01T00:00:00Z`), "silver", "last year: the one flown then");

  for (const flown_at of ["2026-12-31", "2026-12-31T23:30:00", "1999-12-31T23:00:00Z", "yesterday"]) {
    const bad = await post(c, "/api/loyalty/earn", { ...leg, flight_id: 3, flown_at });
    t.equal(bad.statusCode, 400, flown_at);
    t.equal(bad.json().field, "flown_at", flown_at);
  }
});

t.test("a debit takes miles once per key, is found by its key, and its refund gives them back once", async (t) => {
  const c = await setup(t);
  await post(c, "/api/loyalty/earn", { user_id: c.ada.userId, booking_id: 1, flight_id: 1, miles: 1000 });
  const debit = { user_id: c.ada.userId, booking_id: 2, key: "booking-2", miles: 600 };

  const first = await post(c, "/api/loyalty/debit", debit);
  t.equal(first.statusCode, 200);
  t.match(first.json(), { entry: { kind: "redeem", miles: -600, booking_id: 2 }, balance: 400 });
  const again = await post(c, "/api/loyalty/debit", debit);
  t.same(again.json(), first.json(), "the same key answers the first debit and takes nothing more");

  const found = await c.app.inject({ url: "/api/loyalty/debits/booking-2", headers: c.service.headers });
  t.equal(found.json().entry.id, first.json().entry.id);
  const none = await c.app.inject({ url: "/api/loyalty/debits/booking-3", headers: c.service.headers });
  t.equal(none.statusCode, 404);
  t.equal(none.json().error, "not_found");

  const tooMuch = await post(c, "/api/loyalty/debit", { ...debit, booking_id: 3, key: "booking-3" });
  t.equal(tooMuch.statusCode, 402);
  t.same(tooMuch.json(), {
    error: "insufficient_miles",
    message: "The account has 400 miles; 600 are needed.",
    balance: 400,
    miles: 600,
  });

  const url = `/api/loyalty/entries/${first.json().entry.id}/refund`;
  const refunds = await Promise.all([post(c, url, undefined), post(c, url, undefined)]);
  t.same(
    refunds.map((r) => r.statusCode),
    [200, 200],
  );
  t.equal(refunds[0]?.json().entry.id, refunds[1]?.json().entry.id, "one refund entry");
  t.match(refunds[0]?.json(), { entry: { kind: "refund", miles: 600, booking_id: 2 }, balance: 1000 });
  const earnRefund = await post(c, "/api/loyalty/entries/1/refund", undefined);
  t.equal(earnRefund.statusCode, 404, "only a redemption can be refunded");
  t.same(await ledgerTruth(c.app), [{ user_id: c.ada.userId, balance: 1000, sum: 1000 }]);
});

/** ada earns `earned` miles, then booking 2 takes `miles` of them: the redemption's entry id. */
async function redemption(c: Ctx, earned: number, miles: number): Promise<number> {
  await post(c, "/api/loyalty/earn", { user_id: c.ada.userId, booking_id: 1, flight_id: 1, miles: earned });
  const debit = await post(c, "/api/loyalty/debit", { user_id: c.ada.userId, booking_id: 2, key: "b-2", miles });
  return debit.json().entry.id as number;
}

t.test(
  "a redemption is refunded in parts, once per key, never beyond it; the full refund gives back the rest",
  async (t) => {
    const c = await setup(t);
    const debit = await redemption(c, 1000, 600);
    const parts = `/api/loyalty/entries/${debit}/refunds`;

    const first = await post(c, parts, { key: "b-2-change-1-refund-1", miles: 250 });
    t.equal(first.statusCode, 200);
    t.match(first.json(), { entry: { kind: "refund", miles: 250, booking_id: 2 }, balance: 650 });
    const replay = await post(c, parts, { key: "b-2-change-1-refund-1", miles: 250 });
    t.same(replay.json(), first.json(), "the same key answers the first part and gives back nothing more");

    const over = await post(c, parts, { key: "b-2-change-2-refund-1", miles: 351 });
    t.equal(over.statusCode, 409);
    t.same(over.json(), {
      error: "conflict",
      message: `Redemption ${debit} has 350 miles left to give back; 351 were asked.`,
      field: "miles",
    });
    t.equal((await post(c, parts, { key: "b-2-change-2-refund-1", miles: 100 })).json().balance, 750);

    const rest = await post(c, `/api/loyalty/entries/${debit}/refund`, undefined);
    t.match(
      rest.json(),
      { entry: { kind: "refund", miles: 250 }, balance: 1000 },
      "the full refund gives back what is left",
    );
    const after = await post(c, parts, { key: "b-2-change-3-refund-1", miles: 1 });
    t.equal(after.statusCode, 409, "nothing is left for a part after the full refund");

    const earn = await post(c, "/api/loyalty/entries/1/refunds", { key: "x", miles: 1 });
    t.equal(earn.statusCode, 404, "only a redemption is refunded in parts");
    const bad = await post(c, parts, { key: "has space", miles: 0 });
    t.equal(bad.statusCode, 400);
    t.equal(bad.json().error, "validation_error");
    t.equal((await post(c, parts, { key: "x", miles: 1 }, c.ada)).statusCode, 403, "booking-svc's token only");
    t.same(await ledgerTruth(c.app), [{ user_id: c.ada.userId, balance: 1000, sum: 1000 }]);
  },
);

t.test("parts that refund a whole redemption leave nothing for the full refund", async (t) => {
  const c = await setup(t);
  const debit = await redemption(c, 300, 300);
  await post(c, `/api/loyalty/entries/${debit}/refunds`, { key: "p1", miles: 300 });
  const rest = await post(c, `/api/loyalty/entries/${debit}/refund`, undefined);
  t.equal(rest.statusCode, 404);
  t.match(rest.json(), { error: "not_found", message: /no miles left/ });
  t.same(await ledgerTruth(c.app), [{ user_id: c.ada.userId, balance: 300, sum: 300 }]);
});

t.test("concurrent part refunds and a full refund of one redemption never give back more than it took", async (t) => {
  const c = await setup(t);
  const debit = await redemption(c, 1000, 1000);
  const parts = `/api/loyalty/entries/${debit}/refunds`;
  // 60 parts of 70 miles (4200 asked of 1000) with retries of the same keys, and two full refunds.
  const replies = await Promise.all([
    ...Array.from({ length: 60 }, (_, i) => post(c, parts, { key: `part-${i % 30}`, miles: 70 })),
    post(c, `/api/loyalty/entries/${debit}/refund`, undefined),
    post(c, `/api/loyalty/entries/${debit}/refund`, undefined),
  ]);
  t.same(
    new Set(replies.map((r) => r.statusCode).filter((s) => s !== 200 && s !== 409)),
    new Set(),
    "a part or its refusal",
  );
  const [row] = await c.app.sql<{ given: number; n: number }[]>`
    SELECT COALESCE(sum(miles), 0)::int AS given, count(*)::int AS n FROM loyalty_entries WHERE reverses = ${debit}`;
  t.equal(row?.given, 1000, "exactly what the redemption took, since the full refund gives back the rest");
  const ids = new Set(replies.filter((r) => r.statusCode === 200).map((r) => r.json().entry.id));
  t.equal(ids.size, row?.n, "every answer names an entry that is there, retries the same one");
  t.same(await ledgerTruth(c.app), [{ user_id: c.ada.userId, balance: 1000, sum: 1000 }]);
});

t.test("a part refund waits for one in flight on the same redemption and is refused if both exceed it", async (t) => {
  const c = await setup(t);
  const debit = await redemption(c, 1000, 1000);
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let inserted = () => {};
  const inFlight = new Promise<void>((resolve) => {
    inserted = resolve;
  });
  // A refund of 600 written but not yet committed while a part of 500 comes in: without the
  // redemption's lock the second would count only committed refunds and give back 1100.
  const first = c.app.sql.begin(async (tx) => {
    await tx`INSERT INTO loyalty_entries (user_id, kind, miles, booking_id, entry_key, reverses)
      VALUES (${c.ada.userId}, 'refund', 600, 2, 'held-part', ${debit})`;
    inserted();
    await held;
  });
  await inFlight;
  const second = post(c, `/api/loyalty/entries/${debit}/refunds`, { key: "second-part", miles: 500 });
  await new Promise((r) => setTimeout(r, 300));
  release();
  await first;
  t.equal((await second).statusCode, 409, "refused once the first is committed");
  t.same(await ledgerTruth(c.app), [{ user_id: c.ada.userId, balance: 600, sum: 600 }]);
});

t.test("100 concurrent redemptions never take the balance below zero", async (t) => {
  const c = await setup(t);
  await post(c, "/api/loyalty/earn", { user_id: c.ada.userId, booking_id: 1, flight_id: 1, miles: 5_000 });
  const replies = await Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      post(c, "/api/loyalty/debit", {
        user_id: c.ada.userId,
        booking_id: 100 + i,
        key: `booking-${100 + i}`,
        miles: 120,
      }),
    ),
  );
  const ok = replies.filter((r) => r.statusCode === 200).length;
  const refused = replies.filter((r) => r.statusCode === 402 && r.json().error === "insufficient_miles").length;
  t.equal(ok, 41, "exactly as many as the balance covers (5000 / 120)");
  t.equal(refused, 59);
  t.same(await ledgerTruth(c.app), [{ user_id: c.ada.userId, balance: 5_000 - 41 * 120, sum: 5_000 - 41 * 120 }]);
});

t.test("the ledger is history: an entry cannot be changed or removed", async (t) => {
  const c = await setup(t);
  await post(c, "/api/loyalty/earn", { user_id: c.ada.userId, booking_id: 1, flight_id: 1, miles: 50 });
  await t.rejects(c.app.sql`UPDATE loyalty_entries SET miles = 5000`, /append-only/);
  await t.rejects(c.app.sql`DELETE FROM loyalty_entries`, /append-only/);
  await t.rejects(
    c.app.sql`INSERT INTO loyalty_entries (user_id, kind, miles, booking_id, entry_key)
      VALUES (${c.ada.userId}, 'redeem', -51, 1, 'by-hand')`,
    /loyalty_accounts_balance_check/,
    "the balance CHECK refuses an entry below zero, whoever writes it",
  );
});

t.test("an admin adjusts with a reason; a customer may not; nothing goes below zero", async (t) => {
  const c = await setup(t);
  const root = await c.auth.admin();
  const url = `/api/loyalty/${c.ada.userId}/adjust`;

  const byCustomer = await post(c, url, { miles: 100, reason: "please" }, c.ada);
  t.equal(byCustomer.statusCode, 403);
  const byService = await post(c, url, { miles: 100, reason: "why not" }, c.service);
  t.equal(byService.statusCode, 403);

  const added = await post(c, url, { miles: 300, reason: "missing flight, ticket 42" }, root);
  t.equal(added.statusCode, 201);
  t.match(added.json(), { entry: { kind: "adjust", miles: 300 }, balance: 300 });
  t.notOk("booking_id" in added.json().entry);
  const taken = await post(c, url, { miles: -100, reason: "double credit" }, root);
  t.match(taken.json(), { balance: 200 });
  const below = await post(c, url, { miles: -201, reason: "too much" }, root);
  t.equal(below.statusCode, 402);
  t.equal(below.json().error, "insufficient_miles");

  for (const [body, field] of [
    [{ miles: 0, reason: "nothing" }, "miles"],
    [{ miles: 1.5, reason: "half" }, "miles"],
    [{ miles: 10 }, "reason"],
    [{ miles: 10, reason: "" }, "reason"],
    [{ miles: 10, reason: "x", extra: 1 }, "extra"],
  ] as const) {
    const res = await post(c, url, body, root);
    t.equal(res.statusCode, 400, JSON.stringify(body));
    t.equal(res.json().field, field);
  }
  t.equal(
    (await post(c, url, { miles: 0, reason: "nothing" }, root)).json().message,
    "miles must not be 0: an adjustment adds or takes away.",
  );
  t.equal((await statement(c)).json().balance, 200);
});

t.test("ids past 2^31 earn, redeem, refund, adjust and page like small ones", async (t) => {
  const c = await setup(t);
  const root = await c.auth.admin();
  // booking-svc's travellers need no account here; its booking ids go up to 2^53 - 1.
  const traveller = 2 ** 31;
  const booking = Number.MAX_SAFE_INTEGER;
  const first = 2 ** 31 + 5;
  await c.app.sql`ALTER SEQUENCE loyalty_entries_id_seq RESTART WITH ${c.app.sql.unsafe(String(first))}`;

  const earned = await post(c, "/api/loyalty/earn", {
    user_id: traveller,
    booking_id: booking,
    flight_id: 2 ** 31 + 7,
    miles: 1000,
  });
  t.equal(earned.statusCode, 200);
  t.same(earned.json().entry, {
    id: first,
    kind: "earn",
    miles: 1000,
    booking_id: booking,
    at: earned.json().entry.at,
  });
  const debit = { user_id: traveller, booking_id: booking, key: `booking-${booking}`, miles: 400 };
  const debited = await post(c, "/api/loyalty/debit", debit);
  t.equal(debited.statusCode, 200);
  t.match(debited.json(), { entry: { id: first + 1, kind: "redeem", miles: -400, booking_id: booking }, balance: 600 });
  const found = await c.app.inject({ url: `/api/loyalty/debits/booking-${booking}`, headers: c.service.headers });
  t.equal(found.json().entry.id, first + 1);
  const part = await post(c, `/api/loyalty/entries/${first + 1}/refunds`, { key: "part-1", miles: 100 });
  t.match(part.json(), { entry: { id: first + 2, kind: "refund", miles: 100, booking_id: booking }, balance: 700 });
  const rest = await post(c, `/api/loyalty/entries/${first + 1}/refund`, undefined);
  t.match(rest.json(), { entry: { id: first + 3, kind: "refund", miles: 300 }, balance: 1000 });

  const adjusted = await post(c, `/api/loyalty/${traveller}/adjust`, { miles: 10, reason: "x" }, root);
  t.equal(adjusted.statusCode, 201, "a traveller with a ledger is adjusted, account or not");
  t.match(adjusted.json(), { entry: { id: first + 4, kind: "adjust", miles: 10 }, balance: 1010 });

  await post(c, "/api/loyalty/earn", { user_id: c.ada.userId, booking_id: 1, flight_id: 1, miles: 1 });
  await post(c, "/api/loyalty/earn", { user_id: c.ada.userId, booking_id: 1, flight_id: 2, miles: 2 });
  const page = (await statement(c, "?limit=1")).json();
  t.same(
    page.entries.map((e: { id: number }) => e.id),
    [first + 6],
  );
  t.equal(page.next_cursor, String(first + 6));
  const next = (await statement(c, `?limit=1&cursor=${page.next_cursor}`)).json();
  t.same(
    next.entries.map((e: { id: number }) => e.id),
    [first + 5],
  );
});

t.test("a balance and a year's flying past 2^31 miles are read as numbers", async (t) => {
  const c = await setup(t);
  for (const flight_id of [1, 2, 3]) {
    const res = await post(c, "/api/loyalty/earn", { user_id: c.ada.userId, booking_id: 1, flight_id, miles: 1e9 });
    t.equal(res.statusCode, 200);
    t.equal(res.json().balance, flight_id * 1e9);
  }
  const res = await statement(c);
  t.equal(res.statusCode, 200);
  t.match(res.json(), { balance: 3e9, tier: "gold" });
});

t.test("an adjustment for a user with neither an account nor miles is 404 and writes nothing", async (t) => {
  const c = await setup(t);
  const root = await c.auth.admin();
  for (const id of [99999, 2 ** 31]) {
    const res = await post(c, `/api/loyalty/${id}/adjust`, { miles: 10, reason: "x" }, root);
    t.equal(res.statusCode, 404, `user ${id}`);
    t.same(res.json(), { error: "not_found", message: `User ${id} was not found.`, user_id: id });
  }
  t.same(await ledgerTruth(c.app), []);
});

t.test("the statement pages newest first with a cursor, without repeats or gaps", async (t) => {
  const c = await setup(t);
  for (let i = 1; i <= 25; i++) {
    await post(c, "/api/loyalty/earn", { user_id: c.ada.userId, booking_id: i, flight_id: 1, miles: i });
  }
  const seen: number[] = [];
  let cursor: string | null = null;
  const sizes: number[] = [];
  do {
    const res = await statement(c, `?limit=10${cursor ? `&cursor=${cursor}` : ""}`);
    t.equal(res.statusCode, 200);
    const body = res.json();
    t.equal(body.balance, 325);
    sizes.push(body.entries.length);
    seen.push(...body.entries.map((e: { miles: number }) => e.miles));
    cursor = body.next_cursor;
  } while (cursor);
  t.same(sizes, [10, 10, 5]);
  t.same(
    seen,
    Array.from({ length: 25 }, (_, i) => 25 - i),
  );
  const bad = await statement(c, "?cursor=abc");
  t.equal(bad.statusCode, 400);
  t.equal(bad.json().field, "cursor");
});

t.test("a cursor that is not an entry id is refused in words, as a bad limit is", async (t) => {
  const c = await setup(t);
  for (const [query, message] of [
    ["?cursor=abc", "cursor must be an integer in decimal digits, such as 42"],
    ["?cursor=0", "cursor must be >= 1"],
    ["?cursor=9007199254740992", "cursor must be <= 9007199254740991"],
    ["?limit=0", "limit must be >= 1"],
  ] as const) {
    const res = await statement(c, query);
    t.equal(res.statusCode, 400, query);
    t.same(res.json(), { error: "validation_error", message, field: query.slice(1, query.indexOf("=")) }, query);
  }
  const largest = await statement(c, "?cursor=9007199254740991");
  t.same(largest.json(), { balance: 0, tier: "basic", entries: [], next_cursor: null });
});

t.test("tiers follow the miles earned by flying this calendar year", async (t) => {
  const c = await setup(t);
  const tier = async () => (await c.app.inject({ url: "/api/users/me", headers: c.ada.headers })).json().tier;
  // Last year's flying and an admin's gift do not count.
  await c.app.sql`INSERT INTO loyalty_entries (user_id, kind, miles, booking_id, entry_key, at)
    VALUES (${c.ada.userId}, 'earn', 60000, 1, 'earn:1:1', now() - interval '1 year')`;
  const root = await c.auth.admin();
  await post(c, `/api/loyalty/${c.ada.userId}/adjust`, { miles: 30_000, reason: "gift" }, root);
  t.equal(await tier(), "basic");
  await post(c, "/api/loyalty/earn", { user_id: c.ada.userId, booking_id: 2, flight_id: 1, miles: 24_999 });
  t.equal(await tier(), "basic");
  await post(c, "/api/loyalty/earn", { user_id: c.ada.userId, booking_id: 2, flight_id: 2, miles: 1 });
  t.equal(await tier(), "silver");
  await post(c, "/api/loyalty/earn", { user_id: c.ada.userId, booking_id: 3, flight_id: 1, miles: 25_000 });
  t.equal(await tier(), "gold");
  t.equal((await statement(c)).json().tier, "gold");
});

t.test("the service routes take booking-svc's token only", async (t) => {
  const c = await setup(t);
  const earn = { user_id: c.ada.userId, booking_id: 1, flight_id: 1, miles: 10 };
  t.equal((await post(c, "/api/loyalty/earn", earn, c.ada)).statusCode, 403);
  t.equal((await c.app.inject({ method: "POST", url: "/api/loyalty/earn", payload: earn })).statusCode, 401);
  const debit = { user_id: c.ada.userId, booking_id: 1, key: "booking-1", miles: 1 };
  t.equal((await post(c, "/api/loyalty/debit", debit, c.ada)).statusCode, 403);
  t.equal((await statement(c)).json().balance, 0);
});

t.test("a statement's balance, tier and entries are read at one moment, whatever lands meanwhile", async (t) => {
  const c = await setup(t);
  // Legs earn one after another while the statement is read again and again: every read's
  // balance must be the sum of the entries it lists (all of them: the page holds 100).
  let writing = true;
  let flight = 0;
  const writer = (async () => {
    while (writing && flight < 90) {
      flight++;
      await post(c, "/api/loyalty/earn", { user_id: c.ada.userId, booking_id: 1, flight_id: flight, miles: 10 });
    }
  })();
  const mismatches: string[] = [];
  let reads = 0;
  while (flight < 90 && reads < 2_000) {
    reads++;
    const s = (await statement(c, "?limit=100")).json() as { balance: number; entries: { miles: number }[] };
    const sum = s.entries.reduce((n, e) => n + e.miles, 0);
    if (s.balance !== sum) mismatches.push(`balance ${s.balance}, entries ${sum}`);
  }
  writing = false;
  await writer;
  t.ok(reads > 10, `${reads} reads while ${flight} legs earned`);
  t.same(mismatches, [], "every read agrees with itself");
});
