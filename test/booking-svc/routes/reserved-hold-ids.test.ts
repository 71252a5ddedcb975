import t from "tap";
import { startSystem } from "../../helpers/system.js";

// booking-svc holds a booking's seats under bk-<booking id>, which flight-svc keeps for it.

const booking = { user_id: 1, seats: 2, date: "2024-02-15" };

t.test("booking-svc's own hold works although a client took no bk- id before it", async (t) => {
  const sys = await startSystem(t, [{ total: 10 }]);
  const [f] = sys.flightIds as [number];
  const squat = await sys.flightCall("POST", "/api/flights/holds", { flight_ids: [f], seats: 9, hold_id: "bk-1" });
  t.equal(squat.status, 400, "a client cannot take booking 1's hold id");
  t.match(squat.body, { error: "validation_error", field: "hold_id" });
  const made = await sys.bookingCall("POST", "/api/bookings", { ...booking, flight_id: f });
  t.match(made, { status: 200, body: { booking_id: 1, status: "confirmed" } });
  t.match(await sys.flightCall("GET", "/api/flights/holds/bk-1"), {
    status: 200,
    body: { status: "confirmed", seats: 2 },
  });
});

t.test("booking-svc without flight-svc's credential cannot hold: the booking fails, no seat taken", async (t) => {
  const sys = await startSystem(t, [{ total: 10 }], { bookingEnv: { SERVICE_TOKEN: "not-flight-svcs" } });
  const [f] = sys.flightIds as [number];
  const made = await sys.bookingCall("POST", "/api/bookings", { ...booking, flight_id: f });
  t.equal(made.body.status, "failed");
  t.match(made.body.message, /hold_id/);
  t.match(await sys.flightCall("GET", `/api/flights/${f}`), { status: 200, body: { available_seats: 10 } });
});
