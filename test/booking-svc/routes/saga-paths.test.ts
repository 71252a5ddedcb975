import t from "tap";
import type { Action } from "../../../booking-svc/saga/machine.js";
import { fileAuth } from "../../helpers/auth.js";
import { startSystem, waitFor } from "../../helpers/system.js";

// Every path of the saga against the real services, payment outcomes forced through
// payment-mock's run-time config. Short deadlines: the booking's request may take at most
// 0.4 s of payment and 3 × 0.5 s of flight-svc, so the sweeper may take over after 2 s.
const ENV = {
  PAYMENT_TIMEOUT_MS: "400",
  FLIGHT_TIMEOUT_MS: "500",
  BOOKING_PENDING_DEADLINE_SECONDS: "2",
};

/** What a test does right before the saga performs an action (e.g. take flight-svc away). */
let before: Partial<Record<Action, (bookingId: number) => Promise<unknown>>> = {};
const auth = await fileAuth();
const sys = await startSystem(
  t,
  [
    { total: 50, price: 4500.5 },
    { total: 5, price: 3000 },
    { source: "BOM", destination: "BLR", departure: "2024-02-15T11:00:00Z", total: 50, price: 2000 },
    { status: "cancelled" },
  ],
  {
    auth,
    env: ENV,
    sweeper: false,
    hooks: {
      beforeAction: async (action, bookingId) => {
        await before[action]?.(bookingId);
      },
    },
  },
);
const [F1, SMALL, F2, CANCELLED] = sys.flightIds as [number, number, number, number];
const booking = sys.booking!;

const customer = await auth.customer();
const admin = (await auth.admin()).headers;
const service = (await auth.service()).headers;
const book = (over: Record<string, unknown> = {}) =>
  sys.bookingCall("POST", "/api/bookings", { flight_id: F1, seats: 2, date: "2024-02-15", ...over }, customer.headers);

const payConfig = (cfg: Record<string, unknown>) =>
  sys.paymentCall(
    "PUT",
    "/api/payments/config",
    {
      failure_rate: 0,
      timeout_rate: 0,
      latency_min_ms: 0,
      latency_max_ms: 0,
      timeout_delay_ms: 100,
      timeout_outcome: "not_processed",
      ...cfg,
    },
    admin,
  );

async function available(id: number): Promise<number> {
  const [n] = await sys.flight.inventory.availableSeats([id]);
  return n as number;
}
async function booked(id: number): Promise<number> {
  const [r] = await sys.flightsSql<{ booked_seats: number }[]>`SELECT booked_seats FROM flights WHERE id = ${id}`;
  return r!.booked_seats;
}
const row = async (id: number) => (await booking.bookingsRepo.get(id))!;
const payment = (id: number) => sys.paymentOf(id, service);
const hold = async (id: number) =>
  sys.flightCall("GET", `/api/flights/holds/${await sys.holdIdOf(id)}`, undefined, service);

/** Waits out the booking's deadline, then runs one sweep as the periodic sweeper would. */
async function sweepAfterDeadline(id: number): Promise<void> {
  // Every call of the booking's request has given up by now (payment-mock's 1.5 s timeouts
  // excepted, which record nothing): moving the deadline forward only saves the wait.
  await sys.bookingsSql`UPDATE bookings SET lease_until = now() - interval '1 ms' WHERE id = ${id}`;
  await booking.sweeper.sweepOnce();
}

t.beforeEach(async () => {
  before = {};
  await payConfig({});
});

t.test("success: 200 confirmed, seats booked, payment kept, temporary booking gone", async (t) => {
  const before = await available(F1);
  const r = await book();
  t.equal(r.status, 200);
  t.match(r.body, { status: "confirmed", total_amount: 9001, message: "Booking confirmed.", payment_id: /^pay/ });
  const id = r.body.booking_id;
  t.equal(await available(F1), before - 2);
  t.equal(await booked(F1), 2);
  t.match((await payment(id)).body, { status: "success", amount: 9001, refunded_amount: 0 });
  t.equal((await hold(id)).body.status, "confirmed");
  t.equal(await sys.redis.exists(`booking:temp:${id}`), 0);
  t.match(await row(id), { status: "confirmed", step: "done", paymentId: r.body.payment_id });
});

t.test("decline: 402 failed with the reason, hold released, nothing kept", async (t) => {
  await payConfig({ failure_rate: 1 });
  const before = await available(F1);
  const r = await book();
  t.equal(r.status, 402);
  t.match(r.body, { status: "failed", error: "payment_declined", message: /declined/ });
  t.equal(await available(F1), before);
  t.equal((await hold(r.body.booking_id)).body.status, "released");
  t.match(await row(r.body.booking_id), { status: "failed", step: "done", errorCode: "payment_declined" });
});

t.test("timeout, not charged: payment-mock answers 408, nothing recorded → 402, seats back", async (t) => {
  await payConfig({ timeout_rate: 1, timeout_outcome: "not_processed" });
  const before = await available(F1);
  const r = await book();
  t.equal(r.status, 402);
  t.match(r.body, { status: "failed", error: "payment_not_completed" });
  t.equal((await payment(r.body.booking_id)).status, 404);
  t.equal(await available(F1), before);
});

t.test("timeout, but charged: the lookup finds the charge and the booking is confirmed", async (t) => {
  await payConfig({ timeout_rate: 1, timeout_outcome: "processed" });
  const r = await book();
  t.equal(r.status, 200);
  t.match(r.body, { status: "confirmed", payment_id: /^pay/ });
  t.equal((await hold(r.body.booking_id)).body.status, "confirmed");
});

t.test("no answer in time, not charged: 202 pending, the sweeper fails it after the deadline", async (t) => {
  await payConfig({ timeout_rate: 1, timeout_delay_ms: 1500, timeout_outcome: "not_processed" });
  const before = await available(F1);
  const r = await book();
  t.equal(r.status, 202);
  t.match(r.body, { status: "pending", message: /not known yet/ });
  t.equal(await available(F1), before - 2, "the seats stay held while the outcome is unknown");
  await sweepAfterDeadline(r.body.booking_id);
  t.match(await row(r.body.booking_id), { status: "failed", errorCode: "payment_not_completed" });
  t.equal(await available(F1), before);
});

t.test("no answer in time, but charged: the status lookup finds the charge and confirms", async (t) => {
  await payConfig({ timeout_rate: 1, timeout_delay_ms: 1500, timeout_outcome: "processed" });
  const r = await book();
  t.equal(r.status, 200);
  t.match(r.body, { status: "confirmed", payment_id: /^pay/ });
  const got = await sys.bookingCall("GET", `/api/bookings/${r.body.booking_id}`, undefined, customer.headers);
  t.match(got.body, { status: "confirmed", payment_id: r.body.payment_id, step: "done" });
});

t.test("flight-svc unavailable during confirm: 202 pending with the payment, finished once it is back", async (t) => {
  before = { confirm: () => sys.stopFlight() };
  const r = await book();
  t.equal(r.status, 202);
  t.match(r.body, { status: "pending", payment_id: /^pay/, message: /being confirmed/ });
  t.match(await row(r.body.booking_id), { status: "pending", step: "confirm", paymentId: r.body.payment_id });
  before = {};
  await booking.sweeper.sweepOnce();
  t.equal((await row(r.body.booking_id)).step, "confirm", "not taken over before its deadline");
  await sys.startFlight();
  await sweepAfterDeadline(r.body.booking_id);
  t.match(await row(r.body.booking_id), { status: "confirmed", step: "done" });
  t.equal((await hold(r.body.booking_id)).body.status, "confirmed");
});

t.test("paid, but the hold expired meanwhile: refunded and failed", async (t) => {
  before = { confirm: () => sys.stopFlight() };
  const r = await book();
  t.equal(r.status, 202);
  await sys.startFlight();
  before = {};
  // The hold goes away (as if its TTL ran out) before anyone confirms it.
  t.equal(
    (await sys.flightCall("DELETE", `/api/flights/holds/${await sys.holdIdOf(r.body.booking_id)}`, undefined, service))
      .status,
    200,
  );
  await sweepAfterDeadline(r.body.booking_id);
  t.match(await row(r.body.booking_id), { status: "failed", errorCode: "hold_expired", refundId: /./ });
  t.match((await payment(r.body.booking_id)).body, { status: "success", refunded_amount: 9001 });
});

t.test("paid, but the flight was cancelled before the confirm: refunded, failed", async (t) => {
  const [F3] = await sys.flightsSql<{ id: number }[]>`
    INSERT INTO flights (flight_number, source, destination, departure_time, arrival_time, total_seats, price)
    VALUES ('SB999', 'DEL', 'BOM', '2024-02-15T18:00:00Z', '2024-02-15T20:00:00Z', 10, 100) RETURNING id::int`;
  before = { confirm: () => sys.flightsSql`UPDATE flights SET status = 'cancelled' WHERE id = ${F3!.id}` };
  const r = await book({ flight_id: F3!.id });
  t.equal(r.status, 409);
  t.match(r.body, { status: "failed", error: "flight_cancelled", refund_id: /./, message: /refunded/ });
  t.match((await payment(r.body.booking_id)).body, { status: "success", refunded_amount: 200 });
  t.equal((await hold(r.body.booking_id)).body.status, "released");
});

t.test(
  "paid, the flight cancelled and the payment forgotten before the confirm: failed, and not said refunded",
  async (t) => {
    const [F3] = await sys.flightsSql<{ id: number }[]>`
    INSERT INTO flights (flight_number, source, destination, departure_time, arrival_time, total_seats, price)
    VALUES ('SB998', 'DEL', 'BOM', '2024-02-15T18:00:00Z', '2024-02-15T21:00:00Z', 10, 100) RETURNING id::int`;
    let forgotten = "";
    before = {
      confirm: async (id) => {
        await sys.flightsSql`UPDATE flights SET status = 'cancelled' WHERE id = ${F3!.id}`;
        forgotten = (await payment(id)).body.payment_id;
        await sys.paymentCall("POST", "/api/payments/reset", undefined, admin);
      },
    };
    const r = await book({ flight_id: F3!.id });
    t.equal(r.status, 409);
    t.same(r.body, {
      booking_id: r.body.booking_id,
      status: "failed",
      total_amount: 200,
      payment_id: forgotten,
      message: `The flight was cancelled before the booking was confirmed; the payment was not refunded: the payment provider does not know payment ${forgotten}.`,
      error: "flight_cancelled",
    });
    t.match(await row(r.body.booking_id), { status: "failed", refundId: null, errorCode: "flight_cancelled" });
    t.equal((await hold(r.body.booking_id)).body.status, "released");
  },
);

t.test("flight-svc unreachable for the hold: 503, nothing booked, held or charged", async (t) => {
  const count = async () => (await sys.bookingsSql<{ n: number }[]>`SELECT count(*)::int AS n FROM bookings`)[0]!.n;
  const [rows, seats, charges] = [await count(), await available(F1), sys.payment.payments.storedCount];
  before = { hold: () => sys.stopFlight() };
  const r = await book();
  await sys.startFlight();
  before = {};
  // The hold was never sent (connection refused): no row is needed to undo it.
  t.equal(r.status, 503);
  t.match(r.body, { error: "service_unavailable", message: /nothing was booked/ });
  t.equal(await count(), rows);
  t.equal(await available(F1), seats);
  t.equal(sys.payment.payments.storedCount, charges);
});

t.test("multi-leg: every leg held and confirmed, priced per seat", async (t) => {
  const r = await book({ flight_id: undefined, flight_ids: [F1, F2], seats: 1 });
  t.equal(r.status, 200);
  t.equal(r.body.total_amount, 6500.5);
  const got = await sys.bookingCall("GET", `/api/bookings/${r.body.booking_id}`, undefined, customer.headers);
  t.same(got.body.legs, [
    { flight_id: F1, price: 4500.5 },
    { flight_id: F2, price: 2000 },
  ]);
});

t.test("refused bookings: failed, with the field or reason, and nothing held", async (t) => {
  const unknown = await book({ flight_id: 9999 });
  t.equal(unknown.status, 400);
  t.match(unknown.body, {
    status: "failed",
    error: "validation_error",
    field: "flight_id",
    message: "Flight 9999 does not exist.",
    booking_id: Number,
  });
  const date = await book({ date: "2024-02-16" });
  t.match(date, { status: 400, body: { status: "failed", field: "date", total_amount: 9001 } });
  const chain = await book({ flight_id: undefined, flight_ids: [F2, F1], seats: 1 });
  t.match(chain, { status: 400, body: { status: "failed", field: "flight_ids" } });
  // Search offers no connection under MIN_CONNECTION_MINUTES (45); a booking takes none either.
  const [tight] = await sys.flightsSql<{ id: number }[]>`
    INSERT INTO flights (flight_number, source, destination, departure_time, arrival_time, total_seats, price)
    SELECT 'SB997', destination, 'CCU', arrival_time + interval '20 minutes', arrival_time + interval '3 hours', 10, 100
    FROM flights WHERE id = ${F1} RETURNING id::int`;
  const short = await book({ flight_id: undefined, flight_ids: [F1, tight!.id], seats: 1 });
  t.match(short, {
    status: 400,
    body: { status: "failed", field: "flight_ids", message: /departs 20 minutes after flight .* at least 45/ },
  });
  const full = await book({ flight_id: SMALL, seats: 6 });
  t.match(full, { status: 409, body: { status: "failed", error: "not_enough_seats", total_amount: 18000 } });
  const cancelled = await book({ flight_id: CANCELLED });
  t.match(cancelled, { status: 409, body: { status: "failed", error: "flight_cancelled", total_amount: 10000 } });
  // What a refused booking would have cost, a leg or several alike; a flight that does not exist costs nothing.
  t.equal(unknown.body.total_amount, 0);
  const read = await sys.bookingCall("GET", `/api/bookings/${full.body.booking_id}`, undefined, customer.headers);
  t.same(read.body.legs, [{ flight_id: SMALL, price: 3000 }]);
  t.equal(await available(SMALL), 5);
});

t.test("invalid input is refused before any booking exists", async (t) => {
  const count = async () => (await sys.bookingsSql<{ n: number }[]>`SELECT count(*)::int AS n FROM bookings`)[0]!.n;
  const n = await count();
  for (const [body, field] of [
    [{ seats: 0 }, "seats"],
    [{ seats: 10 }, "seats"],
    [{ date: "2024-02-30" }, "date"],
    [{ flight_ids: [F1, F2] }, "flight_id"],
    [{ passengers: [{ name: "A", email: "a@example.com" }] }, "passengers"],
    [{ payment_type: "cash" }, "payment_type"],
  ] as const) {
    const r = await book(body);
    t.equal(r.status, 400, JSON.stringify(body));
    t.equal(r.body.field, field);
  }
  t.equal(await count(), n);
});

t.test("flight-svc down at validation: 503, no booking made", async (t) => {
  await sys.stopFlight();
  const r = await book();
  await sys.startFlight();
  t.equal(r.status, 503);
  t.equal(r.body.error, "service_unavailable");
  t.notOk(r.body.booking_id);
});

t.test("the temporary booking lives while the seats are held", async (t) => {
  await payConfig({ timeout_rate: 1, timeout_delay_ms: 1500 });
  const r = await book();
  const temp = JSON.parse((await sys.redis.get(`booking:temp:${r.body.booking_id}`)) ?? "null");
  t.match(temp, { booking_id: r.body.booking_id, hold_id: await sys.holdIdOf(r.body.booking_id), seats: 2 });
  t.notMatch(JSON.stringify(temp), /passenger|@/);
  t.ok((await sys.redis.ttl(`booking:temp:${r.body.booking_id}`)) > 0);
  await sweepAfterDeadline(r.body.booking_id);
  t.equal(await waitFor(async () => (await sys.redis.exists(`booking:temp:${r.body.booking_id}`)) === 0, 1000), true);
});
