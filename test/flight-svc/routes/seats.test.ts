import t from "tap";
import { fileAuth } from "../../helpers/auth.js";
import { bookedSeats, build, seedFlights } from "../../helpers/flight-svc.js";

// Validation is anyone's; seat changes are booking-svc's, with its service token.
const auth = await fileAuth();
const service = (await auth.service()).headers;

const DATE = "2024-02-15";

t.test("validate answers valid:false with the reason, never an error", async (t) => {
  const { app } = await build(t, { auth });
  const [f, c] = await seedFlights(app.sql, [
    { total: 180, booked: 50, price: 8500 },
    { total: 10, status: "cancelled", price: 100.5 },
  ]);
  const validate = async (payload: object) =>
    (await app.inject({ method: "POST", url: "/api/flights/validate", payload })).json();
  t.same(await validate({ flight_id: f, seats: 2, date: DATE }), {
    valid: true,
    message: "The flight is available.",
    price: 8500,
    available_seats: 130,
    flight_id: f,
  });
  t.same(await validate({ flight_id: 999, seats: 2, date: DATE }), {
    valid: false,
    message: "Flight not found.",
    price: 0,
    available_seats: 0,
    flight_id: 999,
  });
  t.match(await validate({ flight_id: c, seats: 1, date: DATE }), {
    valid: false,
    message: "The flight is cancelled.",
    price: 100.5,
  });
  t.match(await validate({ flight_id: f, seats: 1, date: "2024-02-16" }), {
    valid: false,
    message: "The flight departs on 2024-02-15, not 2024-02-16.",
  });
  t.match(await validate({ flight_id: f, seats: 131, date: DATE }), {
    valid: false,
    message: "Only 130 seats are available.",
    available_seats: 130,
  });
  for (const [payload, field] of [
    [{ flight_id: f, seats: 1, date: "15-02-2024" }, "date"],
    [{ flight_id: f, seats: 1, date: "2024-02-30" }, "date"],
    [{ flight_id: f, seats: 0, date: DATE }, "seats"],
    [{ seats: 1, date: DATE }, "flight_id"],
  ] as const) {
    const res = await app.inject({ method: "POST", url: "/api/flights/validate", payload });
    t.equal(res.statusCode, 400);
    t.match(res.json(), { error: "validation_error", field });
  }
});

t.test("decrement books seats durably and never goes below zero", async (t) => {
  const { app } = await build(t, { auth });
  const [f] = await seedFlights(app.sql, [{ total: 5, booked: 1 }]);
  const dec = (seats: number, date = DATE) =>
    app.inject({
      headers: service,
      method: "POST",
      url: "/api/flights/seats/decrement",
      payload: { flight_id: f, seats, date },
    });
  const ok = await dec(3);
  t.equal(ok.statusCode, 200);
  t.same(ok.json(), { success: true, flight_id: f, available_seats: 1 });
  t.equal(await bookedSeats(app.sql, f!), 4);
  const over = await dec(2);
  t.equal(over.statusCode, 409);
  t.same(over.json(), {
    error: "not_enough_seats",
    message: "Not enough seats are available.",
    flight_id: f,
    available_seats: 1,
  });
  t.equal(await bookedSeats(app.sql, f!), 4);
  const wrongDay = await dec(1, "2024-02-14");
  t.equal(wrongDay.statusCode, 400);
  t.match(wrongDay.json(), { error: "validation_error", field: "date" });
  const unknown = await app.inject({
    headers: service,
    method: "POST",
    url: "/api/flights/seats/decrement",
    payload: { flight_id: 999, seats: 1, date: DATE },
  });
  t.equal(unknown.statusCode, 404);
  t.match(unknown.json(), { error: "flight_not_found", flight_id: 999 });
});

t.test("increment gives booked seats back and never more than are booked", async (t) => {
  const { app } = await build(t, { auth });
  const [f] = await seedFlights(app.sql, [{ total: 10, booked: 3 }]);
  const inc = (seats: number) =>
    app.inject({
      headers: service,
      method: "POST",
      url: "/api/flights/seats/increment",
      payload: { flight_id: f, seats, date: DATE },
    });
  const ok = await inc(2);
  t.equal(ok.statusCode, 200);
  t.same(ok.json(), { success: true, flight_id: f, available_seats: 9 });
  t.equal(await bookedSeats(app.sql, f!), 1);
  const over = await inc(2);
  t.equal(over.statusCode, 409);
  t.same(over.json(), {
    error: "conflict",
    message: "Cannot give back more seats than are booked.",
    flight_id: f,
    booked_seats: 1,
  });
  t.same(await app.inventory.availableSeats([f!]), [9]);
  t.equal(await bookedSeats(app.sql, f!), 1);
});

t.test("concurrent decrements and increments keep Redis and PostgreSQL equal", async (t) => {
  const { app } = await build(t, { auth });
  const [f] = await seedFlights(app.sql, [{ total: 40 }]);
  const call = (op: string) =>
    app.inject({
      headers: service,
      method: "POST",
      url: `/api/flights/seats/${op}`,
      payload: { flight_id: f, seats: 1, date: DATE },
    });
  const replies = await Promise.all(
    Array.from({ length: 120 }, (_, i) => call(i % 3 === 2 ? "increment" : "decrement")),
  );
  t.ok(replies.every((r) => r.statusCode === 200 || r.statusCode === 409));
  const booked = await bookedSeats(app.sql, f!);
  t.ok(booked >= 0 && booked <= 40);
  t.same(await app.inventory.availableSeats([f!]), [40 - booked]);
});
