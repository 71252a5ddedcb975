import t from "tap";
import { fileAuth } from "../../helpers/auth.js";
import { freePort } from "../../helpers/free-port.js";
import { call, spawnBooking, startSystem, waitFor } from "../../helpers/system.js";

// booking-svc killed with SIGKILL while 100 bookings (and some cancellations) are in flight,
// then restarted: once its sweeper has run and the holds have expired, DESIGN.md invariants
// 1 (no oversell), 2 (no seat leak), 3 (confirmed = paid and seated) and 5 (seats of a
// cancellation back exactly once) hold. flight-svc and payment-mock run in this process.

// Timeouts long enough that a loaded CI machine does not fail the bookings made before the storm;
// holds that outlast the pending deadline, so that the sweeper can still confirm a booking the
// kill left paid.
const ENV = {
  PAYMENT_TIMEOUT_MS: "2000",
  FLIGHT_TIMEOUT_MS: "1500",
  BOOKING_PENDING_DEADLINE_SECONDS: "7",
  BOOKING_HOLD_TTL_SECONDS: "15",
  BOOKING_SWEEP_MS: "200",
  HOLD_SWEEP_MS: "100",
};
const FLIGHTS = 4;
const SEATS = 20;

t.test("SIGKILL mid-saga, restart: invariants 1, 2, 3 and 5 hold", async (t) => {
  const auth = await fileAuth();
  const sys = await startSystem(
    t,
    Array.from({ length: FLIGHTS }, () => ({ total: SEATS, price: 1500 })),
    { auth, booking: false, env: ENV },
  );
  const admin = (await auth.admin()).headers;
  const service = (await auth.service()).headers;
  const customers = await Promise.all(["ada", "bob", "cyd", "dee"].map((name) => auth.customer(name)));
  await sys.paymentCall(
    "PUT",
    "/api/payments/config",
    {
      latency_min_ms: 50,
      latency_max_ms: 200,
      failure_rate: 0.2,
      timeout_rate: 0.1,
      timeout_delay_ms: 300,
      timeout_outcome: "processed",
      seed: 11,
    },
    admin,
  );
  const env = {
    ...auth.env,
    ...ENV,
    LOG_LEVEL: "warn",
    REDIS_URL: sys.config.redisUrl,
    BOOKINGS_DATABASE_URL: sys.config.bookingsDatabaseUrl,
    FLIGHT_SERVICE_URL: sys.flightUrl,
    PAYMENT_SERVICE_URL: sys.paymentUrl,
  };
  const port = await freePort();
  let child = await spawnBooking(env, port);
  t.teardown(() => {
    child.proc.kill("SIGKILL");
  });
  const customerOf = (user: number) => customers[user % customers.length]!.headers;
  const book = (user: number, flight: number, seats: number) =>
    call(child.url, "POST", "/api/bookings", { flight_id: flight, seats, date: "2024-02-15" }, customerOf(user));
  // Each cancellation by the booking's own customer.
  const owners = new Map<number, Record<string, string>>();
  const cancel = (id: number) => call(child.url, "PUT", `/api/bookings/${id}/cancel`, undefined, owners.get(id));

  // A few confirmed bookings first, to be cancelled during the storm.
  await sys.paymentCall("PUT", "/api/payments/config", { failure_rate: 0, timeout_rate: 0 }, admin);
  const toCancel: number[] = [];
  for (let i = 0; i < 6; i++) {
    const r = await book(9000 + i, sys.flightIds[i % FLIGHTS] as number, 1);
    if (r.status === 200) {
      toCancel.push(r.body.booking_id);
      owners.set(r.body.booking_id, customerOf(9000 + i));
    }
  }
  t.equal(toCancel.length, 6);
  await sys.paymentCall("PUT", "/api/payments/config", { failure_rate: 0.2, timeout_rate: 0.1 }, admin);

  const storm = [
    ...Array.from({ length: 100 }, (_, i) => book(1 + i, sys.flightIds[i % FLIGHTS] as number, 1 + (i % 2))),
    ...toCancel.map((id) => cancel(id)),
  ].map((p) => p.catch(() => null));
  // Kill once a good part of the storm has settled and more is mid-saga.
  await waitFor(
    async () => {
      const [r] = await sys.bookingsSql<{ done: number; running: number }[]>`
        SELECT count(*) FILTER (WHERE step = 'done' AND id > 6)::int AS done,
               count(*) FILTER (WHERE step <> 'done')::int AS running FROM bookings`;
      return r!.done >= 30 && r!.running >= 5;
    },
    30_000,
    5,
  );
  child.proc.kill("SIGKILL");
  await Promise.all(storm);
  const [left] = await sys.bookingsSql<{ n: number }[]>`SELECT count(*)::int AS n FROM bookings WHERE step <> 'done'`;
  t.ok(left!.n > 0, `${left!.n} bookings were left mid-saga by the kill`);

  child = await spawnBooking(env, port);
  // The client retries its cancellations after the restart.
  for (const id of toCancel) {
    const r = await cancel(id);
    t.ok([200, 202, 409].includes(r.status), `cancel ${id}: ${r.status}`);
  }
  const settled = await waitFor(
    async () => {
      const [r] = await sys.bookingsSql<{ n: number }[]>`SELECT count(*)::int AS n FROM bookings WHERE step <> 'done'`;
      return r!.n === 0;
    },
    60_000,
    100,
  );
  t.ok(settled, "the sweeper settled every booking");
  for (const id of toCancel) {
    const r = await cancel(id);
    t.equal(r.body.status, "cancelled", `booking ${id} cancelled`);
  }

  const flights = await sys.flightsSql<{ id: number; total_seats: number; booked_seats: number }[]>`
    SELECT id::int, total_seats, booked_seats FROM flights ORDER BY id`;
  const bookings = await sys.bookingsSql<
    { id: number; status: string; seats: number; flight_id: number; payment_id: string | null; payment_key: string }[]
  >`
    SELECT b.id::int, b.status, b.seats, l.flight_id::int, b.payment_id, b.payment_key
    FROM bookings b JOIN booking_legs l ON l.booking_id = b.id`;
  const confirmed = bookings.filter((b) => b.status === "confirmed");
  const tally = new Map<string, number>();
  for (const b of bookings) tally.set(b.status, (tally.get(b.status) ?? 0) + 1);
  t.ok(confirmed.length > 0, `bookings by status: ${JSON.stringify([...tally])}`);

  for (const f of flights) {
    t.ok(f.booked_seats <= f.total_seats, `invariant 1: flight ${f.id} ${f.booked_seats} ≤ ${f.total_seats}`);
    const seated = confirmed.filter((b) => b.flight_id === f.id).reduce((a, b) => a + b.seats, 0);
    t.equal(
      f.booked_seats,
      seated,
      `flight ${f.id}: booked seats are exactly the confirmed bookings' (invariants 3, 5)`,
    );
  }
  // Every hold placed before the kill ends by its TTL (15 s) at the latest.
  const free = await waitFor(async () => {
    const seats = await sys.flight.inventory.availableSeats(flights.map((f) => f.id));
    return seats.every((s, i) => s === flights[i]!.total_seats - flights[i]!.booked_seats) ? seats : null;
  }, 30_000);
  t.ok(free, "invariant 2: Redis' available seats = total − confirmed on every flight");

  for (const b of bookings) {
    const p = await sys.paymentCall("GET", `/api/payments/by-key/${b.payment_key}`, undefined, service);
    if (b.status === "confirmed") {
      t.match(p.body, { status: "success", refunded_amount: 0, payment_id: b.payment_id }, `invariant 3: ${b.id} paid`);
      const hold = await sys.flightCall("GET", `/api/flights/holds/${await sys.holdIdOf(b.id)}`, undefined, service);
      t.equal(hold.body.status, "confirmed", `invariant 3: ${b.id} seated`);
    } else {
      t.ok(
        p.status === 404 || p.body.status === "failed" || p.body.refunded_amount === p.body.amount,
        `${b.id} (${b.status}) keeps no money`,
      );
    }
  }
  const stats = (await sys.paymentCall("GET", "/api/payments/stats", undefined, admin)).body;
  t.equal(stats.success.count - stats.refunds.count, confirmed.length, "successful payments − refunds = confirmed");
  // One the kill caught between settling its booking and deleting it expires with its hold.
  const temps = await waitFor(async () => (await sys.redis.keys("booking:temp:*")).length === 0, 30_000);
  t.ok(temps, "temporary bookings are gone");
  t.notMatch(child.output(), /"level":50/, "the restarted instance logged no error");
});
