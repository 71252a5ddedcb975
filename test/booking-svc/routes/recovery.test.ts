import t from "tap";
import { buildApp } from "../../../booking-svc/app.js";
import type { Action } from "../../../booking-svc/saga/machine.js";
import { fileAuth } from "../../helpers/auth.js";
import { startSystem, waitFor } from "../../helpers/system.js";

// A request that dies between two saga steps (the hook throws, as a crash would stop it) leaves
// its row where it was; the sweeper finishes or compensates it from the row alone.
let crashBefore: Action | null = null;
/** The id of the booking whose request died between its hold and its row, and its hold's. */
let crashedAfterHold: { id: number; holdId: string } | null = null;
let crashAfterHold = false;
const auth = await fileAuth();
const sys = await startSystem(t, [{ total: 100, price: 700 }], {
  auth,
  env: { PAYMENT_TIMEOUT_MS: "400", FLIGHT_TIMEOUT_MS: "500", BOOKING_PENDING_DEADLINE_SECONDS: "2" },
  sweeper: false,
  hooks: {
    beforeAction: (action) => {
      if (action === crashBefore) throw new Error(`simulated crash before ${action}`);
    },
    afterHold: (id, holdId) => {
      if (!crashAfterHold) return;
      crashedAfterHold = { id, holdId };
      throw new Error("simulated crash between the hold and the booking's row");
    },
  },
});
const [F] = sys.flightIds as [number];
const booking = sys.booking!;
const customer = await auth.customer();
const admin = (await auth.admin()).headers;
const service = (await auth.service()).headers;

async function crashAt(action: Action): Promise<number> {
  crashBefore = action;
  const r = await sys.bookingCall(
    "POST",
    "/api/bookings",
    { flight_id: F, seats: 1, date: "2024-02-15" },
    customer.headers,
  );
  crashBefore = null;
  const [row] = await sys.bookingsSql<{ id: number }[]>`SELECT max(id)::int AS id FROM bookings`;
  if (r.status !== 500) throw new Error(`expected the simulated crash, got ${r.status}`);
  return row!.id;
}
const row = async (id: number) => (await booking.bookingsRepo.get(id))!;
const available = async () => (await sys.flight.inventory.availableSeats([F]))[0] as number;
/** Lets every lease run out, as time would. */
const expireLeases = () =>
  sys.bookingsSql`UPDATE bookings SET lease_until = now() - interval '1 second' WHERE step <> 'done'`;
const payment = (id: number) => sys.paymentOf(id, service);

t.beforeEach(() => sys.paymentCall("PUT", "/api/payments/config", { failure_rate: 0 }, admin));

const bookingCount = async () =>
  (await sys.bookingsSql<{ n: number }[]>`SELECT count(*)::int AS n FROM bookings`)[0]!.n;
const post = () =>
  sys.bookingCall("POST", "/api/bookings", { flight_id: F, seats: 1, date: "2024-02-15" }, customer.headers);

t.test("died before the hold: no booking, nothing held, nothing charged", async (t) => {
  const [seats, rows] = [await available(), await bookingCount()];
  crashBefore = "hold";
  const r = await post();
  crashBefore = null;
  t.equal(r.status, 500);
  t.equal(await bookingCount(), rows, "the row comes after the hold");
  t.equal(await available(), seats);
});

t.test("died between the hold and its row: only a hold that expires, nothing charged", async (t) => {
  const [seats, rows, charges] = [await available(), await bookingCount(), sys.payment.payments.storedCount];
  crashAfterHold = true;
  const r = await post();
  crashAfterHold = false;
  t.equal(r.status, 500);
  const crashed = crashedAfterHold as { id: number; holdId: string } | null;
  t.match(crashed?.holdId, new RegExp(`^bk-${crashed?.id}-[0-9a-f]{16}$`), "held under the id reserved for the row");
  t.equal(await bookingCount(), rows, "no row");
  t.equal(await row(crashed?.id as number), null);
  const hold = await sys.flightCall("GET", `/api/flights/holds/${crashed?.holdId}`, undefined, service);
  t.match(hold.body, { status: "held", seats: 1 });
  t.equal(await available(), seats - 1);
  t.equal(sys.payment.payments.storedCount, charges, "no money moved");
  await expireLeases();
  await booking.sweeper.sweepOnce();
  t.equal(await available(), seats - 1, "the sweeper has no row to act on");
  const due = Date.parse(hold.body.expires_at) + 1_000;
  await sys.flight.inventory.sweepOnce(due);
  t.equal(await available(), seats, "the hold expired and gave its seat back");
  t.equal(
    (await sys.flightCall("GET", `/api/flights/holds/${crashed?.holdId}`, undefined, service)).body.status,
    "expired",
  );
});

t.test("died after the hold, before paying: not charged, seats released", async (t) => {
  const before = await available();
  const id = await crashAt("pay");
  t.match(await row(id), { step: "pay" }, "the row is written once held, nothing more before settling");
  t.equal(await available(), before - 1);
  await expireLeases();
  await booking.sweeper.sweepOnce();
  t.match(await row(id), { status: "failed", errorCode: "payment_not_completed" });
  t.equal((await payment(id)).status, 404);
  t.equal(await available(), before);
});

t.test("died after paying, before confirming: the charge is found and the booking confirmed", async (t) => {
  const id = await crashAt("confirm");
  t.match(await row(id), { step: "pay", paymentId: null }, "the payment was never recorded in the row");
  t.equal((await payment(id)).body.status, "success");
  await expireLeases();
  await booking.sweeper.sweepOnce();
  t.match(await row(id), { status: "confirmed", step: "done", paymentId: /^pay/ });
  t.equal(
    (await sys.flightCall("GET", `/api/flights/holds/${await sys.holdIdOf(id)}`, undefined, service)).body.status,
    "confirmed",
  );
});

t.test("died after a decline, before releasing: released and failed with the decline", async (t) => {
  await sys.paymentCall("PUT", "/api/payments/config", { failure_rate: 1 }, admin);
  const before = await available();
  const id = await crashAt("release");
  t.match(await row(id), { step: "release", errorCode: "payment_declined" });
  await expireLeases();
  await booking.sweeper.sweepOnce();
  t.match(await row(id), { status: "failed", errorCode: "payment_declined" });
  t.equal(await available(), before);
});

t.test("several instances sweep at once: each booking is recovered by one of them", async (t) => {
  const ids: number[] = [];
  for (let i = 0; i < 12; i++) ids.push(await crashAt("confirm"));
  // Small batches, so that the instances share the work and race for the same rows.
  const config = { ...sys.config, booking: { ...sys.config.booking, sweepBatch: 2 } };
  const others = await Promise.all([1, 2, 3].map(() => buildApp({ config, sweeper: false })));
  t.teardown(() => Promise.all(others.map((a) => a.close())));
  await Promise.all(others.map((a) => a.ready()));
  await expireLeases();
  const charged = (await sys.paymentCall("GET", "/api/payments/stats", undefined, admin)).body.success.count;
  const handled = await Promise.all(others.map((a) => a.sweeper.sweepOnce()));
  t.equal(
    handled.reduce((a, b) => a + b, 0),
    12,
    `the instances looked at ${handled.join(" + ")} bookings`,
  );
  const rows = await sys.bookingsSql<{ status: string; attempts: number }[]>`
    SELECT status, attempts FROM bookings WHERE id = ANY(${ids}::bigint[])`;
  t.ok(
    rows.every((r) => r.status === "confirmed" && r.attempts === 1),
    "all confirmed, each claimed once",
  );
  t.equal(
    (await sys.paymentCall("GET", "/api/payments/stats", undefined, admin)).body.success.count,
    charged,
    "nothing charged again",
  );
});

t.test("a booking-svc that starts sweeps at once", async (t) => {
  const id = await crashAt("confirm");
  await expireLeases();
  const fresh = await buildApp({ config: sys.config });
  t.teardown(() => fresh.close());
  await fresh.ready();
  t.equal(await waitFor(async () => (await row(id)).status === "confirmed", 3000), true);
});
