import t from "tap";
import { within } from "../../../lib/within.js";
import { startAuth } from "../../helpers/auth.js";
import { assignedInPostgres, bookFor, departingIn, heldCheckIn } from "../../helpers/check-in.js";
import { startSystem } from "../../helpers/system.js";

// A check-in and a cancellation of the same booking ran side by side: a cancellation asked for
// while a check-in waited in flight-svc gave the seats back under it, and a check-in asked for
// while a cancellation ran seated the passengers and answered boarding passes for a booking
// about to be cancelled. They are now ordered as a check-in and a change are: the cancellation
// waits for a check-in already running, and a check-in after the cancellation started is refused.

t.test("a cancellation asked for while a check-in runs gives the seats back only once it has answered", async (t) => {
  let releasing: (() => void) | null = null;
  const auth = await startAuth(t);
  const sys = await startSystem(t, [departingIn(3)], {
    auth,
    env: { FLIGHT_TIMEOUT_MS: "5000", BOOKING_PENDING_DEADLINE_SECONDS: "20" },
    hooks: {
      beforeAction: (action) => {
        if (action === "cancel_seats") releasing?.();
      },
    },
  });
  const [flight] = sys.flightIds as [number];
  const ada = await auth.customer("ada");
  const id = await bookFor(sys, ada, [flight], 2, ["Asha Rao", "Ravi Rao"]);

  const checkIn = await heldCheckIn(t, sys, ada, id, flight);

  let answeredAtRelease: boolean | null = null;
  const released = new Promise<void>((resolve) => {
    releasing = () => {
      answeredAtRelease ??= checkIn.answered();
      resolve();
    };
  });
  const cancel = sys.bookingCall("PUT", `/api/bookings/${id}/cancel`, undefined, ada.headers);
  await within(released, 1_000, undefined);
  await checkIn.release();

  const [seated, cancelled] = await Promise.all([checkIn.answer, cancel]);
  t.match(cancelled, { status: 200, body: { status: "cancelled" } });
  t.equal(seated.status, 200, "the check-in that started first completes");
  t.equal(answeredAtRelease, true, "the check-in answered before the cancellation gave the seats back");
  t.equal(seated.body.boarding_passes.length, 2);
  t.same(await assignedInPostgres(sys, flight), {}, "the seats went back with the cancellation");
  for (const pass of seated.body.boarding_passes) {
    t.match(await sys.bookingCall("POST", "/api/boarding-passes/verify", { barcode: pass.barcode }), {
      status: 200,
      body: { valid: false, reason: "not_current" },
    });
  }
});

t.test("a check-in asked for while a cancellation runs is refused and seats no one", async (t) => {
  let proceed: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    proceed = resolve;
  });
  let reached: () => void = () => {};
  const releasing = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const auth = await startAuth(t);
  const sys = await startSystem(t, [departingIn(3)], {
    auth,
    hooks: {
      beforeAction: async (action) => {
        if (action !== "cancel_seats") return;
        reached();
        await held;
      },
    },
  });
  t.teardown(() => proceed());
  const [flight] = sys.flightIds as [number];
  const ada = await auth.customer("ada");
  const id = await bookFor(sys, ada, [flight], 1, ["Asha Rao"]);

  const cancel = sys.bookingCall("PUT", `/api/bookings/${id}/cancel`, undefined, ada.headers);
  await releasing;
  const checkIn = await sys.bookingCall("POST", `/api/bookings/${id}/check-in`, {}, ada.headers);
  t.match(checkIn, { status: 409, body: { error: "conflict" } });
  t.match(checkIn.body.message, /being cancelled/);
  t.same(await assignedInPostgres(sys, flight), {}, "no one was seated");
  proceed();
  t.match(await cancel, { status: 200, body: { status: "cancelled" } });
  t.same(await assignedInPostgres(sys, flight), {});
});
