// A service's stream loops (booking-svc's disruption consumer, user-svc's updates hub) waited for
// their last read at most 2.5 s on close, with a timer they never cleared: every close of
// booking-svc or user-svc kept its process alive 2.5 s after everything else had closed. That was
// some 6 minutes of the test run's 276 files' time, spent after their last test had ended.
import t from "tap";
import { sampleFlightSeeds } from "../helpers/flight-svc.js";
import { startSystem } from "../helpers/system.js";
import { build as buildUser } from "../helpers/user-svc.js";

/** The timers keeping the event loop alive now (unref'd ones do not count). */
function liveTimers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
}

async function closeAll(closers: (() => unknown)[]): Promise<void> {
  for (const close of closers.reverse()) await close();
}

t.test("closing flight-svc, payment-mock and booking-svc leaves no timer running", async (t) => {
  const before = liveTimers();
  const closers: (() => unknown)[] = [];
  const seeds = sampleFlightSeeds();
  const sys = await startSystem({ teardown: (fn) => closers.push(fn) }, seeds, { open: true });
  const made = await sys.bookingCall("POST", "/api/bookings", {
    user_id: 1,
    flight_id: sys.flightIds[0],
    seats: 1,
    date: (seeds[0]?.departure ?? "").slice(0, 10),
  });
  t.equal(made.status, 200, "a booking, so every loop has run");
  await closeAll(closers);
  t.equal(liveTimers(), before, "no timer of theirs keeps the process alive");
});

t.test("closing user-svc leaves no timer running", async (t) => {
  const before = liveTimers();
  const closers: (() => unknown)[] = [];
  await buildUser({ teardown: (fn) => closers.push(fn) }, { listen: true });
  await closeAll(closers);
  t.equal(liveTimers(), before, "no timer of its keeps the process alive");
});
