import t from "tap";
import { buildApp } from "../../../booking-svc/app.js";
import { FlownRepo } from "../../../booking-svc/flown/flown-repo.js";
import { distanceMiles } from "../../../booking-svc/flown/leg-miles.js";
import { startAuth } from "../../helpers/auth.js";
import { startSystem } from "../../helpers/system.js";

// A connection's second flight cancelled once the first has been flown: the booking is settled
// (it can no longer be cancelled), so its leg on the cancelled flight never flies. The flown job
// asked flight-svc about that flight in every round for ever, since nothing marked the leg; once
// the flight's time has passed it is now marked as never flown, and no later round asks again.
const auth = await startAuth(t);
const admin = (await auth.admin()).headers;
const sys = await startSystem(
  t,
  [
    { source: "DEL", destination: "BOM", departure: "2090-01-01T08:00:00Z", price: 100 },
    { source: "BOM", destination: "BLR", departure: "2090-01-01T12:00:00Z", price: 100 },
  ],
  { auth, sweeper: false, bookingEnv: { FLOWN_JOB_MS: "86400000" } },
);
const [DEL_BOM, BOM_BLR] = sys.flightIds as [number, number];
const booking = sys.booking!;

async function job(now: Date) {
  const app = await buildApp({
    config: sys.config,
    sweeper: false,
    disruption: false,
    flown: false,
    flownClock: () => now,
  });
  t.teardown(() => app.close());
  await app.ready();
  return app.flownJob;
}

t.test(
  "a leg on a flight cancelled after the booking's first leg flew is settled once its time has passed",
  async (t) => {
    const ada = await auth.customer("ada");
    const made = await sys.bookingCall(
      "POST",
      "/api/bookings",
      { flight_ids: [DEL_BOM, BOM_BLR], seats: 1, date: "2090-01-01" },
      ada.headers,
    );
    t.equal(made.status, 200);
    const id = made.body.booking_id as number;

    t.same(await (await job(new Date("2090-01-01T11:00:00Z"))).runOnce(), { flown: 1, earned: 1 }, "the first leg");
    t.equal((await sys.flightCall("PATCH", `/api/flights/${BOM_BLR}`, { status: "cancelled" }, admin)).status, 200);
    const cancel = await sys.bookingCall("PUT", `/api/bookings/${id}/cancel`, undefined, ada.headers);
    t.equal(cancel.status, 409, "flown: the booking is settled");

    const repo = new FlownRepo(booking.sql);
    const before = await job(new Date("2090-01-01T12:30:00Z"));
    t.same(await before.runOnce(), { flown: 0, earned: 0 }, "not yet its time: the leg is left as it is");
    t.same(await repo.flightsToCheck("2090-01-01", 0, 100), [BOM_BLR]);

    const after = await job(new Date("2090-01-02T00:00:00Z"));
    t.same(await after.runOnce(), { flown: 0, earned: 0 });
    const legs = await booking.sql<{ flight_id: string; flown_at: Date | null; never_flown_at: Date | null }[]>`
    SELECT flight_id, flown_at, never_flown_at FROM booking_legs WHERE booking_id = ${id} ORDER BY leg_no`;
    t.match(legs, [
      { flight_id: String(DEL_BOM), flown_at: Date, never_flown_at: null },
      { flight_id: String(BOM_BLR), flown_at: null, never_flown_at: Date },
    ]);
    t.same(await repo.flightsToCheck("2090-01-02", 0, 100), [], "no later round asks flight-svc about it");

    const me = (await auth.app.inject({ url: "/api/loyalty/me", headers: ada.headers })).json();
    t.equal(me.balance, Math.round(distanceMiles("DEL", "BOM") as number), "only the flown leg earned");
  },
);
