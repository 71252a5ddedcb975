import t from "tap";
import { runUpdatesScenario } from "../../stress/updates/run.js";

// Issue 19's stress scenario, small: subscribers over two user-svc instances, flights delayed
// and cancelled while two booking-svc instances take bookings. `stress/updates/cli.ts` runs the
// full size (1,000 subscribers; docs/updates.md).
t.test("updates under booking load: delivery, disruption and money invariants hold", async (t) => {
  const report = await runUpdatesScenario({
    subscribers: 120,
    flights: 12,
    flightsPerSubscriber: 3,
    durationMs: 4_000,
    bookers: 4,
    changeEveryMs: 200,
    seed: 7,
  });
  t.same(report.violations, []);
  // How much happens in 4 s depends on the machine's load; that something did, does not.
  t.ok(report.events >= 2, `${report.events} flight events`);
  t.ok(report.cancelledFlights >= 1, `${report.cancelledFlights} flights cancelled`);
  t.ok(report.bookings.confirmed > 0, `${report.bookings.confirmed} bookings confirmed`);
  t.ok(report.updatesDelivered >= report.events, `${report.updatesDelivered} updates delivered`);
  t.comment(`${report.bookings.cancelledForFlight} bookings cancelled for their flight`);
  t.equal(report.subscribersDropped, 0);
});
