import t, { type Test } from "tap";
import { fileAuth } from "../../helpers/auth.js";
import { bookedSeats, build, seedFlights } from "../../helpers/flight-svc.js";
import { restore, snapshot } from "../../helpers/redis-snapshot.js";

// A Redis failover loses the last writes the old master acknowledged (replication is
// asynchronous): a confirm whose commit PostgreSQL kept can come back in Redis as the hold it was
// before, "held". Released or expired as such, its seats came back in Redis while PostgreSQL kept
// them booked, and a customer's cancellation ended without freeing them (the stress harness's
// failover drill: booked_seats above the confirmed bookings' seats, counters drifting after it).

const auth = await fileAuth();
const LATER = 31 * 60_000; // past any hold's expiry and the confirm grace period

async function confirmedThenLost(t: Test) {
  const { app } = await build(t, { auth, env: { HOLD_SWEEP_MS: "600000" } });
  const [f] = (await seedFlights(app.sql, [{ total: 10 }])) as [number];
  const hold = await app.inventory.placeHold({ flightIds: [f], seats: 3, ttlSeconds: 60 });
  const before = await snapshot(app.redis);
  await app.inventory.confirmHold(hold.hold_id);
  await restore(app.redis, before);
  t.equal(await bookedSeats(app.sql, f), 3, "PostgreSQL kept the confirm");
  t.match(await app.inventory.getHold(hold.hold_id), { status: "held" }, "Redis lost it");
  return { app, f, id: hold.hold_id };
}

t.test("a hold Redis lost the confirm of is cancelled, not released: its seats come back everywhere", async (t) => {
  const { app, f, id } = await confirmedThenLost(t);
  t.same(await app.inventory.releaseHold(id), { hold_id: id, status: "cancelled", seats_returned: true });
  t.equal(await bookedSeats(app.sql, f), 0);
  t.same(await app.inventory.availableSeats([f]), [10]);
});

t.test("a hold Redis lost the confirm of does not expire: the sweep finishes the confirm", async (t) => {
  const { app, f, id } = await confirmedThenLost(t);
  t.same(await app.inventory.sweepOnce(Date.now() + LATER), { expired: 0, settled: 1 });
  t.match(await app.inventory.getHold(id), { status: "confirmed" });
  t.equal(await bookedSeats(app.sql, f), 3);
  t.same(await app.inventory.availableSeats([f]), [7]);
});
