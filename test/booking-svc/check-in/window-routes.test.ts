import t from "tap";
import { startAuth } from "../../helpers/auth.js";
import { bookFor, departingIn } from "../../helpers/check-in.js";
import { startSystem } from "../../helpers/system.js";

// The window as a customer meets it: too early and too late are 409 with their own codes and
// the times; a trip whose second leg is not open yet checks in its first leg alone.

t.test("a leg 25 h away is not open, one 30 min away is closed, each naming when", async (t) => {
  const auth = await startAuth(t);
  const sys = await startSystem(t, [departingIn(25), departingIn(0.5)], { auth });
  const [later, soon] = sys.flightIds as [number, number];
  const ada = await auth.customer("ada");

  const early = await bookFor(sys, ada, [later]);
  const tooEarly = await sys.bookingCall("POST", `/api/bookings/${early}/check-in`, {}, ada.headers);
  t.match(tooEarly, {
    status: 409,
    body: { error: "checkin_not_open", flight_id: later, opens_at: /Z$/, message: /opens at/ },
  });
  const late = await bookFor(sys, ada, [soon]);
  t.match(await sys.bookingCall("POST", `/api/bookings/${late}/check-in`, {}, ada.headers), {
    status: 409,
    body: { error: "checkin_closed", flight_id: soon, closes_at: /Z$/, message: /closed at/ },
  });
  t.same((await sys.flightsSql`SELECT 1 FROM seat_assignments`).length, 0, "no seat was taken");
});

t.test("a connection: the open first leg is checked in, the next one when its window opens", async (t) => {
  const auth = await startAuth(t);
  const sys = await startSystem(
    t,
    [departingIn(2, { destination: "BOM" }), departingIn(30, { source: "BOM", destination: "BLR" })],
    { auth },
  );
  const [first, second] = sys.flightIds as [number, number];
  const ada = await auth.customer("ada");
  const id = await bookFor(sys, ada, [first, second]);
  const passes = await sys.bookingCall("POST", `/api/bookings/${id}/check-in`, {}, ada.headers);
  t.match(passes, { status: 200, body: { boarding_passes: [{ flight_id: first, seat: "1A" }] } });
  t.equal(passes.body.boarding_passes.length, 1);
  t.match(
    await sys.bookingCall(
      "POST",
      `/api/bookings/${id}/check-in`,
      { seats: [{ passenger: "Passenger 1", flight_id: second, seat: "2A" }] },
      ada.headers,
    ),
    { status: 409, body: { error: "checkin_not_open", flight_id: second } },
    "asking for a seat on a leg not open yet",
  );
});
