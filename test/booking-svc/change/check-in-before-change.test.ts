import t from "tap";
import { within } from "../../../lib/within.js";
import { startAuth } from "../../helpers/auth.js";
import { assignedInPostgres, bookFor, departingIn, heldCheckIn, passFlights } from "../../helpers/check-in.js";
import { startSystem } from "../../helpers/system.js";

// A check-in that had read the booking just before a change of it started went on: it seated the
// passengers on the old flight and answered their boarding passes while the change ran, and the
// change then gave those seats back. A check-in and the start of a change are now ordered: the
// change waits for a check-in already running, and sees its seats as those of a booking checked
// in before it (the dropped leg's go back); a check-in after the change started is refused
// (check-in-mid-change.test.ts).

t.test("a change requested while a check-in runs starts only once the check-in has answered", async (t) => {
  let started: (() => void) | null = null;
  const auth = await startAuth(t);
  const sys = await startSystem(
    t,
    [departingIn(3, { source: "DEL", destination: "BOM" }), departingIn(4, { source: "DEL", destination: "BOM" })],
    {
      auth,
      // flight-svc's answer outlasts the check-in's wait below.
      env: { FLIGHT_TIMEOUT_MS: "5000", BOOKING_PENDING_DEADLINE_SECONDS: "20" },
      hooks: {
        beforeChangeAction: (action) => {
          if (action === "hold_new") started?.();
        },
      },
    },
  );
  const [from, to] = sys.flightIds as [number, number];
  const ada = await auth.customer("ada");
  const id = await bookFor(sys, ada, [from], 2, ["Asha Rao", "Ravi Rao"]);
  const [day] = await sys.flightsSql<{ date: string }[]>`
    SELECT to_char(departure_time AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date FROM flights WHERE id = ${to}`;

  const checkIn = await heldCheckIn(t, sys, ada, id, from);

  let answeredAtStart: boolean | null = null;
  const changeStarted = new Promise<void>((resolve) => {
    started = () => {
      answeredAtStart ??= checkIn.answered();
      resolve();
    };
  });
  const change = sys.bookingCall(
    "POST",
    `/api/bookings/${id}/change`,
    { flight_ids: [to], date: day?.date },
    ada.headers,
  );
  // Before the fix the change started at once; now it waits for the check-in, which the lock holds.
  await within(changeStarted, 1_000, undefined);
  await checkIn.release();

  const [seated, changed] = await Promise.all([checkIn.answer, change]);
  t.match(changed, { status: 200, body: { change_status: "completed", flight_ids: [to] } });
  t.equal(seated.status, 200, "the check-in that started first completes");
  t.equal(answeredAtStart, true, "the check-in answered its passes before the change started");
  t.same(await assignedInPostgres(sys, from), {}, "the old flight's seats went back with the change");
  t.same(passFlights(seated), [from, from]);
  // As for any booking checked in before a change: the dropped leg's seats, and so passes, go.
  for (const pass of seated.body.boarding_passes) {
    t.match(await sys.bookingCall("POST", "/api/boarding-passes/verify", { barcode: pass.barcode }), {
      status: 200,
      body: { valid: false, reason: "not_current" },
    });
  }
  const after = await sys.bookingCall("POST", `/api/bookings/${id}/check-in`, {}, ada.headers);
  t.equal(after.status, 200);
  t.same(passFlights(after), [to, to], "both passengers on the new flight");
});
