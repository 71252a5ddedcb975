import { setTimeout as sleep } from "node:timers/promises";
import type { FastifyInstance } from "fastify";
import t, { type Test } from "tap";
import { readHold } from "../../../flight-svc/inventory/context.js";
import { GroupCommit } from "../../../flight-svc/inventory/group-commit.js";
import { keys } from "../../../flight-svc/inventory/keys.js";
import { Ledger, type Op } from "../../../flight-svc/inventory/ledger.js";
import { bookTogether } from "../../../flight-svc/inventory/ledger-batch.js";
import { fileAuth } from "../../helpers/auth.js";
import { bookedSeats, build, seedFlights } from "../../helpers/flight-svc.js";
import { lockFlights, waitForLockWaiter } from "../../helpers/pg-lock.js";

// Confirms of one flight share a transaction (inventory/group-commit.ts); every answer still
// stands on its own and is durable when given.

const auth = await fileAuth();
const service = (await auth.service()).headers;
const DATE = "2024-02-15";

const decrement = (app: FastifyInstance, flight_id: number) =>
  app.inject({
    headers: service,
    method: "POST",
    url: "/api/flights/seats/decrement",
    payload: { flight_id, seats: 1, date: DATE },
  });

const confirm = (app: FastifyInstance, id: string) =>
  app.inject({ headers: service, method: "POST", url: `/api/flights/holds/${id}/confirm` });

async function scrape(app: FastifyInstance, name: string): Promise<number> {
  const body = (await app.inject({ method: "GET", url: "/metrics" })).body;
  const line = body.split("\n").find((l) => l.startsWith(`${name} `));
  return Number(line?.split(" ")[1] ?? Number.NaN);
}

async function ledgerRows(app: FastifyInstance, flight: number): Promise<number> {
  const [row] = await app.sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM seat_ledger WHERE ${flight} = ANY(flight_ids) AND status = 'confirmed'`;
  return row?.n ?? 0;
}

/**
 * Confirms every hold at once while the flights table is locked: the first transaction waits
 * on the lock, and the lock goes only once every other confirm has passed its first step (and a
 * moment more to reach the batch queue), so they all meet in the next batch.
 */
async function confirmBehindLock(t: Test, app: FastifyInstance, url: string, holds: { hold_id: string }[]) {
  const lock = await lockFlights(url);
  t.teardown(() => lock.release());
  const answers = holds.map((h) => confirm(app, h.hold_id));
  await waitForLockWaiter(app.sql);
  for (;;) {
    const states = await Promise.all(holds.map((h) => app.redis.hget(keys.hold(h.hold_id), "state")));
    if (states.every((s) => s === "confirming")) break;
    await sleep(10);
  }
  await sleep(50);
  await lock.release();
  return Promise.all(answers);
}

t.test("concurrent decrements on one flight share transactions and count every seat once", async (t) => {
  const { app } = await build(t, { auth });
  const [f] = await seedFlights(app.sql, [{ total: 500 }]);
  const replies = await Promise.all(Array.from({ length: 150 }, () => decrement(app, f!)));
  // A decrement is answered at its commit; its end in Redis follows.
  await app.inventory.idle();
  t.same(
    replies.map((r) => r.statusCode),
    replies.map(() => 200),
  );
  const batches = await scrape(app, "skybook_inventory_confirm_batches_total");
  t.equal(await scrape(app, "skybook_inventory_confirm_batched_total"), 150, "every confirm went through a batch");
  t.ok(batches >= 1 && batches < 150, `${batches} transactions for 150 confirms`);
  t.equal(await scrape(app, "skybook_inventory_confirm_batch_fallbacks_total"), 0);
  t.equal(await bookedSeats(app.sql, f!), 150);
  t.equal(await ledgerRows(app, f!), 150);
  t.same(await app.inventory.availableSeats([f!]), [350]);
  t.equal(await app.redis.hlen(keys.flightHolds(f!)), 0, "every hold left the flight's hash");
});

t.test("a confirm answered at its commit is answered before its last step, which idle() waits for", async (t) => {
  const { app } = await build(t, { auth });
  const [f] = await seedFlights(app.sql, [{ total: 10 }]);
  let release = () => {};
  const lastSteps: string[] = [];
  const finishOne = async (op: Op) => {
    await new Promise<void>((resolve) => {
      release = resolve;
    });
    lastSteps.push(op.id);
  };
  // The batch's own step fails, so the confirm's own one runs.
  const commit = new GroupCommit(app.sql, new Ledger(app.sql), 10, async () => false, finishOne);
  const op: Op = { id: "dec-answered-first", kind: "decrement", legs: [f!], seats: 2, token: "dec-answered-first" };
  t.same(await commit.book(op, "committed"), { status: "confirmed", mine: true, finished: true });
  t.equal(await bookedSeats(app.sql, f!), 2, "booked when answered");
  let idle = false;
  const waiting = commit.idle().then(() => {
    idle = true;
  });
  await sleep(50);
  t.same([lastSteps, idle], [[], false], "its last step still runs, and idle() waits");
  release();
  await waiting;
  t.same(lastSteps, [op.id]);
});

t.test("200 concurrent decrements on a 50-seat flight over two instances: 50 booked, never more", async (t) => {
  const { app } = await build(t, { auth });
  const { app: other } = await build(t, { auth, reset: false });
  const [f] = await seedFlights(app.sql, [{ total: 50 }]);
  const replies = await Promise.all(Array.from({ length: 200 }, (_, i) => decrement(i % 2 ? other : app, f!)));
  const codes = replies.map((r) => r.statusCode);
  t.equal(codes.filter((c) => c === 200).length, 50);
  t.equal(codes.filter((c) => c === 409).length, 150);
  t.equal(await bookedSeats(app.sql, f!), 50);
  t.equal(await ledgerRows(app, f!), 50);
  t.same(await app.inventory.availableSeats([f!]), [0]);
});

t.test("every confirm is in PostgreSQL when it is answered", async (t) => {
  const { app } = await build(t, { auth });
  const [f] = await seedFlights(app.sql, [{ total: 100 }]);
  const holds = await Promise.all(
    Array.from({ length: 60 }, () => app.inventory.placeHold({ flightIds: [f!], seats: 1, ttlSeconds: 60 })),
  );
  // Read on a connection of its own the moment each answer arrives.
  const found = await Promise.all(
    holds.map(async (h) => {
      const res = await confirm(app, h.hold_id);
      const [row] = await app.sql<{ status: string }[]>`SELECT status FROM seat_ledger WHERE op_id = ${h.hold_id}`;
      return `${res.statusCode} ${row?.status}`;
    }),
  );
  t.same(
    found,
    holds.map(() => "200 confirmed"),
  );
  t.equal(await bookedSeats(app.sql, f!), 60);
});

t.test("confirms of different flights share a transaction, each flight moved by its own seats", async (t) => {
  const { app, config } = await build(t, { auth });
  const flights = await seedFlights(app.sql, [{ total: 10 }, { total: 10 }, { total: 10 }]);
  const [a, b, c] = flights as [number, number, number];
  const legs = [[a], [b], [b], [a, c], [c]];
  const holds = await Promise.all(
    legs.map((flightIds) => app.inventory.placeHold({ flightIds, seats: 2, ttlSeconds: 60 })),
  );
  // The first confirm's transaction waits on the lock while the other four queue behind it.
  const replies = await confirmBehindLock(t, app, config.flightsDatabaseUrl, holds);
  t.same(
    replies.map((r) => r.statusCode),
    legs.map(() => 200),
  );
  t.equal(await scrape(app, "skybook_inventory_confirm_batches_total"), 2, "the first alone, the four others together");
  t.equal(await scrape(app, "skybook_inventory_confirm_batch_fallbacks_total"), 0);
  // Whichever confirm went first, its batch had one leg set and the other batch the rest's.
  const rows = await app.sql<{ legs: string; first: boolean }[]>`
    SELECT array_to_string(flight_ids, ',') AS legs, created_at = min(created_at) OVER () AS first
    FROM seat_ledger WHERE op_id = ANY(${holds.map((h) => h.hold_id)})`;
  const rest = new Set(rows.filter((r) => !r.first).map((r) => r.legs));
  t.equal(rows.filter((r) => r.first).length, 1);
  t.equal(
    await scrape(app, "skybook_inventory_confirm_finish_batches_total"),
    1 + rest.size,
    "one finish per leg set of each batch",
  );
  t.same(await Promise.all(flights.map((f) => bookedSeats(app.sql, f))), [4, 4, 4]);
  t.same(await app.inventory.availableSeats(flights), [6, 6, 6]);
  for (const f of flights) t.equal(await app.redis.hlen(keys.flightHolds(f)), 0, `every hold left flight ${f}'s hash`);
});

t.test("a cross-flight batch with a flight cancelled behind Redis' back books the others", async (t) => {
  const { app, config } = await build(t, { auth });
  const [a, b] = (await seedFlights(app.sql, [{ total: 10 }, { total: 10 }])) as [number, number];
  const holds = await Promise.all(
    [a, b, a, b].map((f) => app.inventory.placeHold({ flightIds: [f], seats: 1, ttlSeconds: 60 })),
  );
  await app.sql`UPDATE flights SET status = 'cancelled' WHERE id = ${b}`;
  const replies = await confirmBehindLock(t, app, config.flightsDatabaseUrl, holds);
  t.same(
    replies.map((r) => r.statusCode),
    [200, 409, 200, 409],
  );
  // The three behind the first hold both flights, whichever went first: their batch failed as one.
  t.ok((await scrape(app, "skybook_inventory_confirm_batch_fallbacks_total")) >= 1, "written again one by one");
  t.equal(await bookedSeats(app.sql, a), 2);
  t.equal(await bookedSeats(app.sql, b), 0);
  t.equal(await ledgerRows(app, b), 0);
});

t.test("a batch with one member PostgreSQL refuses answers the others as if each were alone", async (t) => {
  const { app, config } = await build(t, { auth });
  const [f] = await seedFlights(app.sql, [{ total: 10 }]);
  const holds = await Promise.all(
    Array.from({ length: 5 }, () => app.inventory.placeHold({ flightIds: [f!], seats: 2, ttlSeconds: 60 })),
  );
  // Redis gave out all 10 seats; PostgreSQL has 2 booked behind its back: one hold cannot be booked.
  await app.sql`UPDATE flights SET booked_seats = 2 WHERE id = ${f!}`;
  // The first confirm's transaction waits on the lock while the other four queue behind it.
  const replies = await confirmBehindLock(t, app, config.flightsDatabaseUrl, holds);
  const codes = replies.map((r) => r.statusCode).sort();
  t.same(codes, [200, 200, 200, 200, 409]);
  t.match(replies.find((r) => r.statusCode === 409)?.json(), { error: "not_enough_seats", flight_id: f });
  t.equal(await scrape(app, "skybook_inventory_confirm_batch_fallbacks_total"), 1, "the four failed as one batch");
  t.equal(await scrape(app, "skybook_inventory_confirm_batches_total"), 1, "the first went alone");
  t.equal(await bookedSeats(app.sql, f!), 10);
  t.equal(await ledgerRows(app, f!), 4);
});

t.test("a member whose confirm was settled before does not fail its batch", async (t) => {
  const { app, config } = await build(t, { auth });
  const [f] = await seedFlights(app.sql, [{ total: 10 }]);
  const holds = await Promise.all(
    Array.from({ length: 4 }, () => app.inventory.placeHold({ flightIds: [f!], seats: 1, ttlSeconds: 60 })),
  );
  const settled = holds[3]!.hold_id;
  // The sweeper's arbiter wrote this hold off as released (its confirm was thought dead).
  const op = (await readHold(app.redis, settled))?.op as Op;
  await app.sql`INSERT INTO seat_ledger (op_id, kind, flight_ids, seats, status, hold_token)
                VALUES (${settled}, 'hold', ${[f!]}::bigint[], 1, 'released', ${op.token ?? ""})`;
  const replies = await confirmBehindLock(t, app, config.flightsDatabaseUrl, holds);
  t.same(
    replies.map((r) => r.statusCode),
    [200, 200, 200, 409],
  );
  t.match(replies[3]?.json(), { error: "hold_expired" });
  t.equal(await scrape(app, "skybook_inventory_confirm_batch_fallbacks_total"), 0);
  t.equal(await scrape(app, "skybook_inventory_confirm_batches_total"), 2);
  t.equal(await bookedSeats(app.sql, f!), 3);
  t.same(await app.inventory.availableSeats([f!]), [7]);
});

t.test("a confirm retried after its batch committed and the process died is applied once", async (t) => {
  const { app } = await build(t, { auth });
  const [f] = await seedFlights(app.sql, [{ total: 10 }]);
  const holds = await Promise.all(
    Array.from({ length: 4 }, () => app.inventory.placeHold({ flightIds: [f!], seats: 2, ttlSeconds: 60 })),
  );
  const ops: Op[] = [];
  for (const h of holds.slice(0, 3)) {
    await app.redis.invConfirmBegin(keys.hold(h.hold_id), keys.holdExpiries(h.hold_id), h.hold_id, Date.now(), 30_000);
    ops.push((await readHold(app.redis, h.hold_id))?.op as Op);
  }
  // The batch committed; the process died before the confirms' last step in Redis.
  t.same(
    await bookTogether(app.sql, ops),
    ops.map(() => ({ status: "confirmed", mine: true })),
  );
  t.equal(await bookedSeats(app.sql, f!), 6);
  // The retries and a new confirm meet in one batch: only the new one books seats.
  const replies = await Promise.all(holds.map((h) => confirm(app, h.hold_id)));
  t.same(
    replies.map((r) => r.statusCode),
    [200, 200, 200, 200],
  );
  t.equal(await bookedSeats(app.sql, f!), 8);
  t.equal(await ledgerRows(app, f!), 4);
  t.same(await app.inventory.availableSeats([f!]), [2]);
  t.same(await bookTogether(app.sql, ops.slice(0, 1)), [{ status: "confirmed", mine: true }], "once more");
  t.equal(await bookedSeats(app.sql, f!), 8);
});
