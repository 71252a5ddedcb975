import { setTimeout as sleep } from "node:timers/promises";
import t from "tap";
import { pendingHoldCount } from "../../../flight-svc/inventory/expiry-index.js";
import { fileAuth } from "../../helpers/auth.js";
import { bookedSeats, build, seedFlights } from "../../helpers/flight-svc.js";

const auth = await fileAuth();
const service = (await auth.service()).headers;

const LATER = 31 * 60_000; // past any hold's expiry and the confirm grace period

t.test("holds expire and their seats return; confirmed seats never do", async (t) => {
  const { app } = await build(t, { auth });
  const [f] = await seedFlights(app.sql, [{ total: 10 }]);
  const a = await app.inventory.placeHold({ flightIds: [f!], seats: 3, ttlSeconds: 60 });
  const b = await app.inventory.placeHold({ flightIds: [f!], seats: 2, ttlSeconds: 60 });
  await app.inventory.confirmHold(b.hold_id);
  t.same(await app.inventory.availableSeats([f!]), [5]);
  t.same(await app.inventory.sweepOnce(Date.now()), { expired: 0, settled: 0 }, "nothing due yet");
  t.same(await app.inventory.sweepOnce(Date.now() + LATER), { expired: 1, settled: 0 });
  t.same(await app.inventory.availableSeats([f!]), [8]);
  t.equal(await bookedSeats(app.sql, f!), 2);
  t.match(await app.inventory.getHold(a.hold_id), { status: "expired" });
  t.match(await app.inventory.getHold(b.hold_id), { status: "confirmed" });
  t.same(await app.inventory.sweepOnce(Date.now() + LATER), { expired: 0, settled: 0 }, "each hold reaped once");
  t.equal(await pendingHoldCount(app.redis), 0);
});

t.test("confirm after expiry fails with 409 hold_expired, before or after the sweep", async (t) => {
  const { app } = await build(t, { auth, env: { HOLD_SWEEP_MS: "600000" } });
  const [f] = await seedFlights(app.sql, [{ total: 10 }]);
  const a = await app.inventory.placeHold({ flightIds: [f!], seats: 1, ttlSeconds: 1 });
  const b = await app.inventory.placeHold({ flightIds: [f!], seats: 1, ttlSeconds: 1 });
  await sleep(1_050);
  const early = await app.inject({ headers: service, method: "POST", url: `/api/flights/holds/${a.hold_id}/confirm` });
  t.equal(early.statusCode, 409);
  t.same(early.json(), { error: "hold_expired", message: "The hold has expired or was released.", hold_id: a.hold_id });
  await app.inventory.sweepOnce();
  const late = await app.inject({ headers: service, method: "POST", url: `/api/flights/holds/${b.hold_id}/confirm` });
  t.equal(late.statusCode, 409);
  t.match(late.json(), { error: "hold_expired" });
  t.equal(await bookedSeats(app.sql, f!), 0);
  t.same(await app.inventory.availableSeats([f!]), [10]);
  const del = await app.inject({ headers: service, method: "DELETE", url: `/api/flights/holds/${a.hold_id}` });
  t.same(del.json(), { hold_id: a.hold_id, status: "released", seats_returned: false });
});

t.test("racing confirms and releases of one hold: exactly one wins", async (t) => {
  const { app } = await build(t, { auth });
  const [f, g] = await seedFlights(app.sql, [{ total: 50 }, { total: 50 }]);
  for (let round = 0; round < 20; round++) {
    const h = await app.inventory.placeHold({ flightIds: [f!, g!], seats: 2, ttlSeconds: 60 });
    const outcomes = await Promise.allSettled([
      app.inventory.confirmHold(h.hold_id),
      app.inventory.releaseHold(h.hold_id),
      app.inventory.confirmHold(h.hold_id),
      app.inventory.releaseHold(h.hold_id),
    ]);
    t.ok(outcomes.every((o) => o.status === "fulfilled" || (o.reason as { statusCode?: number }).statusCode === 409));
  }
  await app.inventory.sweepOnce(Date.now() + LATER);
  const booked = await bookedSeats(app.sql, f!);
  t.equal(await bookedSeats(app.sql, g!), booked);
  t.same(await app.inventory.availableSeats([f!, g!]), [50 - booked, 50 - booked]);
  const [ledger] = await app.sql<{ seats: number }[]>`
    SELECT coalesce(sum(seats), 0)::int AS seats FROM seat_ledger WHERE status = 'confirmed'`;
  t.equal(ledger!.seats, booked, "booked_seats is what the ledger confirmed");
});

t.test("two instances sweeping at once reap each hold once", async (t) => {
  const { app } = await build(t, { auth, env: { HOLD_SWEEP_MS: "600000" } });
  const { app: other } = await build(t, { auth, env: { HOLD_SWEEP_MS: "600000" } });
  const [f] = await seedFlights(app.sql, [{ total: 100 }]);
  for (let i = 0; i < 60; i++) await app.inventory.placeHold({ flightIds: [f!], seats: 1, ttlSeconds: 60 });
  t.same(await app.inventory.availableSeats([f!]), [40]);
  const later = Date.now() + LATER;
  const [x, y] = await Promise.all([app.inventory.sweepOnce(later), other.inventory.sweepOnce(later)]);
  t.equal(x.expired + y.expired, 60);
  t.same(await app.inventory.availableSeats([f!]), [100]);
});
