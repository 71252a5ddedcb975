import t from "tap";
import { SAMPLE_FLIGHTS } from "../../flight-svc/data/sample-flights.js";
import { fileAuth } from "../helpers/auth.js";
import { build } from "../helpers/flight-svc.js";
import { NEW_FLIGHT } from "../helpers/new-flight.js";
import { search } from "../helpers/search-calls.js";

// flights.id and the bookings' ids are bigint: ids past 2^31 (a sequence moved on, flights
// loaded with ids of their own, a long-lived bookings_db) work as small ones do, up to 2^53 - 1.
const auth = await fileAuth();
const PAST_INT = 2 ** 31 + 1_000;

t.test("a flight and a booking with ids past 2^31: every flight-svc route", async (t) => {
  const { app } = await build(t, { auth, flights: SAMPLE_FLIGHTS });
  const admin = (await auth.admin()).headers;
  const service = (await auth.service()).headers;
  await app.sql`SELECT setval(pg_get_serial_sequence('flights', 'id'), ${PAST_INT})`;
  const created = await app.inject({ method: "POST", url: "/api/flights", payload: NEW_FLIGHT, headers: admin });
  t.equal(created.statusCode, 201, created.body);
  const id = created.json().id as number;
  t.equal(id, PAST_INT + 1);
  const call = (method: "GET" | "POST" | "PATCH", url: string, payload?: object) =>
    app.inject({ method, url, payload, headers: method === "PATCH" ? admin : service });

  t.equal((await call("GET", `/api/flights/${id}`)).statusCode, 200, "read");
  await app.timetable.reload();
  const found = await search(app, { source: "BOM", destination: "CCU" });
  t.ok(
    found.paths.some((p) => p.flights.some((f) => f.flight_number === "6E123")),
    "searched",
  );
  const validated = await call("POST", "/api/flights/validate", { flight_id: id, seats: 1, date: "2024-02-15" });
  t.match(validated.json(), { valid: true, flight_id: id }, "validated");
  const decremented = await call("POST", "/api/flights/seats/decrement", {
    flight_id: id,
    seats: 1,
    date: "2024-02-15",
  });
  t.equal(decremented.statusCode, 200, decremented.body);
  const booking = PAST_INT + 7;
  const hold = await call("POST", "/api/flights/holds", {
    flight_ids: [id],
    seats: 1,
    hold_id: `bk-${booking}`,
    date: "2024-02-15",
  });
  t.equal(hold.statusCode, 201, hold.body);
  const confirmed = await call("POST", `/api/flights/holds/bk-${booking}/confirm`);
  t.equal(confirmed.statusCode, 200, confirmed.body);
  const seated = await call("POST", `/api/flights/${id}/seat-assignments`, {
    booking_id: booking,
    passengers: [{ passenger: 0 }],
  });
  t.equal(seated.statusCode, 200, seated.body);
  t.match(seated.json(), { flight_id: id, booking_id: booking });
  const seats = await call("GET", `/api/flights/${id}/seat-assignments?booking_id=${booking}`);
  t.equal(seats.statusCode, 200, seats.body);
  t.equal((await call("GET", `/api/flights/${id}/seatmap`)).statusCode, 200, "seat map");
  const reconciled = await app.inject({ method: "POST", url: "/api/admin/reconcile", payload: {}, headers: admin });
  t.equal(reconciled.statusCode, 200, reconciled.body);
  const delayed = await call("PATCH", `/api/flights/${id}`, { status: "delayed" });
  t.equal(delayed.statusCode, 200, delayed.body);
  const released = await app.inject({ method: "DELETE", url: `/api/flights/holds/bk-${booking}`, headers: service });
  t.equal(released.statusCode, 200, released.body);
  t.equal(
    (await call("GET", `/api/flights/${id}`)).json().booked_seats,
    1,
    "the decrement stays, the booking's seat went back",
  );
});
