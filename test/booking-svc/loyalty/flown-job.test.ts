import { readFile } from "node:fs/promises";
import type { TransactionSql } from "postgres";
import t from "tap";
import { buildApp } from "../../../booking-svc/app.js";
import { FlownRepo } from "../../../booking-svc/flown/flown-repo.js";
import { distanceMiles } from "../../../booking-svc/flown/leg-miles.js";
import { projectPath } from "../../../lib/paths.js";
import { type Account, startAuth } from "../../helpers/auth.js";
import { startSystem } from "../../helpers/system.js";

// The flown job: legs of confirmed bookings whose flights have arrived are marked flown and earn
// distance × seats miles once per booking leg, with retries and two instances running at once;
// cancelled bookings earn nothing and their holds are gone; a flown booking cannot be cancelled.
// The flights are in 2090 and the job's clock is moved past their arrival.
const TODAY = new Date().toISOString().slice(0, 10);
const auth = await startAuth(t);
const service = await auth.service();
const sys = await startSystem(
  t,
  [
    { source: "DEL", destination: "BOM", departure: "2090-01-01T08:00:00Z", price: 100 },
    { source: "BOM", destination: "BLR", departure: "2090-01-01T12:00:00Z", price: 100 },
    { source: "DEL", destination: "BLR", departure: "2090-01-05T00:00:00Z", price: 100 },
    // Long gone when anyone books it.
    { source: "DEL", destination: "BOM", departure: "2024-02-15T08:00:00Z", price: 100 },
    // Gone since midnight, arrived a minute later: booked today, after it left.
    { source: "DEL", destination: "BOM", departure: `${TODAY}T00:00:00Z`, minutes: 1, price: 100 },
  ],
  // Only the start-up round of the instance's own job, before any booking exists.
  { auth, sweeper: false, bookingEnv: { FLOWN_JOB_MS: "86400000" } },
);
const [DEL_BOM, BOM_BLR, LATER, GONE, LEFT_TODAY] = sys.flightIds as [number, number, number, number, number];
const AFTER_FIRST_DAY = () => new Date("2090-01-02T00:00:00Z");
const booking = sys.booking!;

/** Another booking-svc instance on the same stores, with the job's clock given. */
async function instance(now: () => Date, config = sys.config) {
  const app = await buildApp({ config, sweeper: false, disruption: false, flown: false, flownClock: now });
  t.teardown(() => app.close());
  await app.ready();
  return app;
}

const book = async (who: Account, body: Record<string, unknown>) => {
  const r = await sys.bookingCall("POST", "/api/bookings", { seats: 1, ...body }, who.headers);
  if (r.status !== 200) throw new Error(`booking: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.booking_id as number;
};
const statement = async (who: Account) =>
  (await auth.app.inject({ url: "/api/loyalty/me?limit=100", headers: who.headers })).json();
const miles = (from: string, to: string, seats: number) => Math.round((distanceMiles(from, to) as number) * seats);

t.test("arrived legs earn once per booking leg, whatever the retries and instances", async (t) => {
  const ada = await auth.customer("ada");
  const bob = await auth.customer("bob");
  const twoLegs = await book(ada, { flight_ids: [DEL_BOM, BOM_BLR], seats: 2, date: "2090-01-01" });
  const later = await book(ada, { flight_id: LATER, date: "2090-01-05" });
  const cancelled = await book(bob, { flight_id: DEL_BOM, date: "2090-01-01" });
  const seatsBefore = (await sys.flight.inventory.availableSeats([DEL_BOM]))[0] as number;
  t.equal((await sys.bookingCall("PUT", `/api/bookings/${cancelled}/cancel`, undefined, bob.headers)).status, 200);
  // A cancelled booking's seats go back with its cancellation, not with the flown job.
  t.equal(
    (await sys.flightCall("GET", `/api/flights/holds/${await sys.holdIdOf(cancelled)}`, undefined, service.headers))
      .body.status,
    "cancelled",
  );
  t.equal((await sys.flight.inventory.availableSeats([DEL_BOM]))[0], seatsBefore + 1);

  t.same(await booking.flownJob.runOnce(), { flown: 0, earned: 0 }, "nothing has arrived by the wall clock");
  const [one, two, three] = await Promise.all([
    instance(AFTER_FIRST_DAY),
    instance(AFTER_FIRST_DAY),
    instance(AFTER_FIRST_DAY),
  ]);
  const rounds = await Promise.all([one.flownJob.runOnce(), two.flownJob.runOnce(), three.flownJob.runOnce()]);
  t.equal(
    rounds.reduce((n, r) => n + r.flown, 0),
    2,
    "each arrived leg marked by one instance",
  );
  // A crash after user-svc credited a leg but before booking-svc noted it: the next round asks again.
  await sys.bookingsSql`UPDATE booking_legs SET earned_at = NULL WHERE booking_id = ${twoLegs}`;
  await Promise.all([one.flownJob.runOnce(), two.flownJob.runOnce()]);

  const expected = miles("DEL", "BOM", 2) + miles("BOM", "BLR", 2);
  const s = await statement(ada);
  t.equal(s.balance, expected);
  t.same(
    s.entries.map((e: { kind: string; booking_id: number }) => [e.kind, e.booking_id]),
    [
      ["earn", twoLegs],
      ["earn", twoLegs],
    ],
  );
  t.same((await statement(bob)).entries, [], "a cancelled booking earns nothing");

  const legs = await sys.bookingsSql<{ booking_id: number; flown: boolean; miles: number | null; earned: boolean }[]>`
    SELECT booking_id::int, flown_at IS NOT NULL AS flown, miles, earned_at IS NOT NULL AS earned
    FROM booking_legs ORDER BY booking_id, leg_no`;
  t.same(legs, [
    { booking_id: twoLegs, flown: true, miles: miles("DEL", "BOM", 2), earned: true },
    { booking_id: twoLegs, flown: true, miles: miles("BOM", "BLR", 2), earned: true },
    { booking_id: later, flown: false, miles: null, earned: false },
    { booking_id: cancelled, flown: false, miles: null, earned: false },
  ]);
  t.match(await booking.bookingsRepo.get(twoLegs), { status: "confirmed", flownAt: Date });

  const refused = await sys.bookingCall("PUT", `/api/bookings/${twoLegs}/cancel`, undefined, ada.headers);
  t.equal(refused.status, 409);
  t.same(refused.body, { error: "conflict", message: "The booking has been flown; it can no longer be cancelled." });

  // The job's clock past the later flight's arrival flies it too.
  const ahead = await instance(() => new Date("2090-01-06T00:00:00Z"));
  t.same(await ahead.flownJob.runOnce(), { flown: 1, earned: 1 });
  t.equal((await statement(ada)).balance, expected + miles("DEL", "BLR", 1));
  t.same(await one.flownJob.runOnce(), { flown: 0, earned: 0 }, "nor by another instance");
  t.same(await ahead.flownJob.runOnce(), { flown: 0, earned: 0 }, "nothing is flown twice");
});

t.test("user-svc out of reach: the round stops without losing anything, the next one earns", async (t) => {
  const cyd = await auth.customer("cyd");
  const id = await book(cyd, { flight_id: DEL_BOM, date: "2090-01-01" });
  const cutOff = await instance(AFTER_FIRST_DAY, {
    ...sys.config,
    auth: { ...sys.config.auth, userServiceUrl: "http://127.0.0.1:1" },
  });
  // Without user-svc there is no service token either, so flight-svc cannot be asked.
  t.same(await cutOff.flownJob.runOnce(), { flown: 0, earned: 0 });
  t.same((await statement(cyd)).entries, []);
  const reaching = await instance(AFTER_FIRST_DAY);
  t.same(await reaching.flownJob.runOnce(), { flown: 1, earned: 1 });
  t.same(
    (await statement(cyd)).entries.map((e: { booking_id: number; miles: number }) => [e.booking_id, e.miles]),
    [[id, miles("DEL", "BOM", 1)]],
  );
});

t.test("a leg's miles are earned with its flight's departure, not when the job got to them", async (t) => {
  const gus = await auth.customer("gus");
  const id = await book(gus, { flight_ids: [DEL_BOM, BOM_BLR], date: "2090-01-01" });
  // A day after the flights: the job was down, or its round came late.
  const late = await instance(AFTER_FIRST_DAY);
  t.same(await late.flownJob.runOnce(), { flown: 2, earned: 2 });
  const flownAt = (await statement(gus)).entries.map((e: { booking_id: number; flown_at?: string }) => [
    e.booking_id,
    e.flown_at,
  ]);
  t.same(
    flownAt.sort(),
    [
      [id, "2090-01-01T08:00:00.000Z"],
      [id, "2090-01-01T12:00:00.000Z"],
    ],
    "user-svc got each leg's departure as flight-svc has it",
  );
});

type LegMarks = { flown_at: Date | null; never_flown_at: Date | null };
const legMarks = async (bookingId: number) =>
  (await booking.sql<LegMarks[]>`SELECT flown_at, never_flown_at FROM booking_legs WHERE booking_id = ${bookingId}`)[0];

/** What `fn` read in a transaction that is then rolled back: the test database keeps its schema as migrated. */
async function rolledBack<T>(fn: (tx: TransactionSql) => Promise<T>): Promise<T> {
  const undo = new Error("rolled back");
  let read: T | undefined;
  await booking.sql
    .begin(async (tx) => {
      read = await fn(tx);
      throw undo;
    })
    .catch((err) => {
      if (err !== undo) throw err;
    });
  return read as T;
}

t.test("a booking confirmed after its flight departed is never flown", async (t) => {
  const dov = await auth.customer("dov");
  const id = await book(dov, { flight_id: GONE, date: "2024-02-15" });
  t.match(await legMarks(id), { flown_at: null, never_flown_at: Date }, "made after its travel date: written so");
  const job = await instance(() => new Date());
  t.same(await job.flownJob.runOnce(), { flown: 0, earned: 0 });
  t.match(await booking.bookingsRepo.get(id), { status: "confirmed", flownAt: null });
  const cancel = await sys.bookingCall("PUT", `/api/bookings/${id}/cancel`, undefined, dov.headers);
  t.equal(cancel.body.status, "cancelled", "and stays cancellable");
});

t.test("a leg booked on its travel day after its flight left is settled once, not checked every round", async (t) => {
  const eve = await auth.customer("eve");
  const id = await book(eve, { flight_id: LEFT_TODAY, date: TODAY });
  const sql = booking.sql;
  const repo = new FlownRepo(sql);
  t.same(await repo.flightsToCheck(TODAY, 0, 100), [LEFT_TODAY], "its travel day has come: the flight is a candidate");
  const job = await instance(() => new Date(`${TODAY}T23:59:00Z`));
  t.same(await job.flownJob.runOnce(), { flown: 0, earned: 0 }, "it arrived without the booking");
  const [leg] = await sql<{ flown_at: Date | null; never_flown_at: Date | null }[]>`
    SELECT flown_at, never_flown_at FROM booking_legs WHERE booking_id = ${id}`;
  t.match(leg, { flown_at: null, never_flown_at: Date });
  t.same(await repo.flightsToCheck(TODAY, 0, 100), [], "and no later round asks flight-svc about it");
  t.match(await booking.bookingsRepo.get(id), { status: "confirmed", flownAt: null });
});

t.test("a refused booking's legs are written as never flown, outside the job's index", async (t) => {
  const fay = await auth.customer("fay");
  // Refused by its hold: the flight has no such day.
  const refused = await sys.bookingCall(
    "POST",
    "/api/bookings",
    { flight_id: LATER, seats: 1, date: "2090-01-04" },
    fay.headers,
  );
  t.match(refused, { status: 400, body: { status: "failed" } });
  t.match(await legMarks(refused.body.booking_id), { flown_at: null, never_flown_at: Date }, "failed: never flown");
  const kept = await book(fay, { flight_id: LATER, date: "2090-01-05" });
  t.same(await legMarks(kept), { flown_at: null, never_flown_at: null }, "confirmed: it may still fly");
  const [index] = await booking.sql<{ def: string }[]>`
    SELECT indexdef AS def FROM pg_indexes WHERE indexname = 'booking_legs_unflown_idx'`;
  t.match(index?.def, /flown_at IS NULL\) AND \(never_flown_at IS NULL/, "the job's index leaves never-flown legs out");
  t.match(index?.def, /\(travel_date, flight_id\)/, "and is ordered by travel date: a round reads the days that came");
});

t.test("a booking cancelled, or failed after its hold, has its legs marked never flown then", async (t) => {
  const gus = await auth.customer("gus");
  const cancelled = await book(gus, { flight_id: LATER, date: "2090-01-05" });
  t.same(await legMarks(cancelled), { flown_at: null, never_flown_at: null }, "confirmed: it may still fly");
  const cancel = await sys.bookingCall("PUT", `/api/bookings/${cancelled}/cancel`, undefined, gus.headers);
  t.equal(cancel.body.status, "cancelled");
  t.match(await legMarks(cancelled), { flown_at: null, never_flown_at: Date }, "cancelled: never flown");

  const admin = await auth.admin();
  await sys.paymentCall("PUT", "/api/payments/config", { failure_rate: 1 }, admin.headers);
  t.teardown(() => sys.paymentCall("PUT", "/api/payments/config", { failure_rate: 0 }, admin.headers));
  const declined = await sys.bookingCall(
    "POST",
    "/api/bookings",
    { flight_id: LATER, seats: 1, date: "2090-01-05" },
    gus.headers,
  );
  t.match(declined.body, { status: "failed" });
  t.match(await legMarks(declined.body.booking_id), { flown_at: null, never_flown_at: Date }, "declined: never flown");
});

t.test("a booking confirmed only once its travel date had passed has its legs marked never flown then", async (t) => {
  // Made the day before it flew, confirmed (by the sweeper, say) long after.
  const [row] = await booking.sql<{ id: number }[]>`
    INSERT INTO bookings (user_id, seats, travel_date, payment_type, total_amount, status, step, created_at)
    VALUES (9002, 1, '2024-02-15', 'credit_card', 100, 'pending', 'confirm', '2024-02-14T10:00:00Z')
    RETURNING id::int`;
  const id = row?.id as number;
  await booking.sql`INSERT INTO booking_legs (booking_id, leg_no, flight_id, price, travel_date)
    VALUES (${id}, 1, ${GONE}, 100, '2024-02-15')`;
  const saved = await booking.bookingsRepo.save(id, "confirm", {
    step: "done",
    status: "confirmed",
    paymentId: "pay-9002",
    refundId: null,
    refundRefused: null,
    failure: null,
  });
  t.equal(saved, true);
  t.match(await legMarks(id), { flown_at: null, never_flown_at: Date });
  t.same(await new FlownRepo(booking.sql).flightsToCheck(TODAY, GONE - 1, 1), [], "no round asks about it");
});

t.test("migration 010 marks the legs of bookings that failed before it as never flown", async (t) => {
  const migration = await readFile(projectPath("booking-svc", "migrations", "010_failed_legs_never_flown.sql"), "utf8");
  const seen = await rolledBack(async (tx) => {
    const [failed, confirmed] = await tx<{ id: number }[]>`
      INSERT INTO bookings (user_id, seats, travel_date, payment_type, total_amount, status, step, error_code,
        failure_message, payment_id)
      VALUES (9001, 1, '2090-01-05', 'credit_card', 0, 'failed', 'done', 'not_enough_seats', 'No seats.', NULL),
             (9001, 1, '2090-01-05', 'credit_card', 100, 'confirmed', 'done', NULL, NULL, 'pay-9001')
      RETURNING id::int`;
    const ids = [failed?.id, confirmed?.id] as number[];
    await tx`INSERT INTO booking_legs (booking_id, leg_no, flight_id, price, travel_date)
      SELECT unnest(${ids}::bigint[]), 1, ${LATER}, 100, '2090-01-05'`;
    await tx.unsafe(migration);
    return tx<LegMarks[]>`
      SELECT flown_at, never_flown_at FROM booking_legs WHERE booking_id = ANY(${ids}::bigint[])
      ORDER BY array_position(${ids}::bigint[], booking_id)`;
  });
  t.match(seen, [
    { flown_at: null, never_flown_at: Date },
    { flown_at: null, never_flown_at: null },
  ]);
});

t.test("migration 011 marks legs that can never fly and dates those that may", async (t) => {
  const migration = await readFile(projectPath("booking-svc", "migrations", "011_legs_travel_date.sql"), "utf8");
  // From the schema as migration 010 left it.
  const seen = await rolledBack(async (tx) => {
    await tx`ALTER TABLE booking_legs DROP COLUMN travel_date`;
    await tx`CREATE INDEX booking_legs_unflown_idx ON booking_legs (flight_id)
      WHERE flown_at IS NULL AND never_flown_at IS NULL`;
    const rows = await tx<{ id: number }[]>`
      INSERT INTO bookings (user_id, seats, travel_date, payment_type, total_amount, status, step, payment_id,
        created_at, confirmed_at)
      VALUES (9003, 1, '2090-01-05', 'credit_card', 100, 'cancelled', 'done', 'pay-a', now(), now()),
             (9003, 1, '2090-01-05', 'credit_card', 100, 'failed', 'done', 'pay-b', now(), NULL),
             (9003, 1, '2024-02-15', 'credit_card', 100, 'confirmed', 'done', 'pay-c', now(), now()),
             (9003, 1, '2024-02-15', 'credit_card', 100, 'confirmed', 'done', 'pay-d', '2024-02-14', now()),
             (9003, 1, '2024-02-15', 'credit_card', 100, 'confirmed', 'done', 'pay-e', '2024-02-14', '2024-02-14'),
             (9003, 1, '2090-01-05', 'credit_card', 100, 'confirmed', 'done', 'pay-f', now(), now())
      RETURNING id::int`;
    const ids = rows.map((r) => r.id);
    await tx`INSERT INTO booking_legs (booking_id, leg_no, flight_id, price)
      SELECT unnest(${ids}::bigint[]), 1, ${LATER}, 100`;
    await tx.unsafe(migration);
    return tx<(LegMarks & { travel_date: string | null })[]>`
      SELECT flown_at, never_flown_at, travel_date::text AS travel_date
      FROM booking_legs WHERE booking_id = ANY(${ids}::bigint[])
      ORDER BY array_position(${ids}::bigint[], booking_id)`;
  });
  const never = { flown_at: null, never_flown_at: Date, travel_date: null };
  t.match(
    seen,
    [
      never,
      never,
      never,
      never,
      { flown_at: null, never_flown_at: null, travel_date: "2024-02-15" },
      { flown_at: null, never_flown_at: null, travel_date: "2090-01-05" },
    ],
    "cancelled, failed, made after its date, confirmed after it: never; confirmed in time: dated",
  );
});

t.test("a traveller whose id is past 2^31 earns, and so do the others of the round", async (t) => {
  const eve = await auth.customer("eve");
  await auth.app.sql`ALTER SEQUENCE users_id_seq RESTART WITH ${auth.app.sql.unsafe(String(2 ** 31))}`;
  const big = await auth.customer("big");
  t.equal(big.userId, 2 ** 31);
  const bigBooking = await book(big, { flight_id: DEL_BOM, date: "2090-01-01" });
  const eveBooking = await book(eve, { flight_id: DEL_BOM, date: "2090-01-01" });
  await (await instance(AFTER_FIRST_DAY)).flownJob.runOnce();
  for (const [who, id] of [
    [big, bigBooking],
    [eve, eveBooking],
  ] as const) {
    t.same(
      (await statement(who)).entries.map((e: { booking_id: number; miles: number }) => [e.booking_id, e.miles]),
      [[id, miles("DEL", "BOM", 1)]],
    );
  }
});

/** user-svc's answered requests to its earn routes, per "route status_class", from its /metrics. */
async function earnCalls(): Promise<Record<string, number>> {
  const text = (await auth.app.inject({ url: "/metrics" })).body;
  const counts: Record<string, number> = {};
  for (const m of text.matchAll(
    /^http_requests_total\{method="POST",route="(\/api\/loyalty\/earn[^"]*)",status_class="(\w+)"\} (\d+)$/gm,
  )) {
    counts[`${m[1]} ${m[2]}`] = Number(m[3]);
  }
  return counts;
}
const callsSince = (before: Record<string, number>, after: Record<string, number>) =>
  Object.fromEntries(
    Object.entries(after)
      .map(([k, n]) => [k, n - (before[k] ?? 0)] as const)
      .filter(([, n]) => n > 0),
  );

t.test("a round earns a batch of legs in one call to user-svc", async (t) => {
  const hal = await auth.customer("hal");
  const ids = [];
  for (let i = 0; i < 5; i++) ids.push(await book(hal, { flight_ids: [DEL_BOM, BOM_BLR], date: "2090-01-01" }));
  const before = await earnCalls();
  t.same(await (await instance(AFTER_FIRST_DAY)).flownJob.runOnce(), { flown: 10, earned: 10 });
  t.same(callsSince(before, await earnCalls()), { "/api/loyalty/earn/batch 2xx": 1 }, "10 legs, one call");
  t.equal((await statement(hal)).balance, 5 * (miles("DEL", "BOM", 1) + miles("BOM", "BLR", 1)));
});

t.test("a leg user-svc refuses stays unearned; the others of its batch and round earn", async (t) => {
  const ivy = await auth.customer("ivy");
  const refusedId = await book(ivy, { flight_id: DEL_BOM, date: "2090-01-01" });
  const keptId = await book(ivy, { flight_id: BOM_BLR, date: "2090-01-01" });
  // Flown, with a departure user-svc refuses (before 2000): as a leg with a bad field would be.
  await booking.sql`UPDATE booking_legs SET flown_at = now(), departed_at = '1990-01-01T00:00:00Z', miles = 10
    WHERE booking_id = ${refusedId}`;
  await booking.sql`UPDATE booking_legs SET flown_at = now(), miles = 20 WHERE booking_id = ${keptId}`;
  // One leg a page: the refused leg fills the round's first page, and the round goes on past it.
  const job = await instance(() => new Date("2089-12-01T00:00:00Z"), {
    ...sys.config,
    booking: { ...sys.config.booking, flownBatch: 1 },
  });
  t.same(await job.flownJob.runOnce(), { flown: 0, earned: 1 });
  t.same(
    (await statement(ivy)).entries.map((e: { booking_id: number; miles: number }) => [e.booking_id, e.miles]),
    [[keptId, 20]],
  );
  const earned = await booking.sql<{ booking_id: number; earned: boolean }[]>`
    SELECT booking_id::int, earned_at IS NOT NULL AS earned FROM booking_legs
    WHERE booking_id IN (${refusedId}, ${keptId}) ORDER BY booking_id`;
  t.same(earned, [
    { booking_id: refusedId, earned: false },
    { booking_id: keptId, earned: true },
  ]);
});
