import t from "tap";
import { SAMPLE_FLIGHTS } from "../../../flight-svc/data/sample-flights.js";
import { fileAuth } from "../../helpers/auth.js";
import { build } from "../../helpers/flight-svc.js";
import { NEW_FLIGHT, NEW_FLIGHT_CREATED } from "../../helpers/new-flight.js";
import { numbers, search } from "../../helpers/search-calls.js";

/** flight-svc on the sample flights with AUTH_MODE=required: adding and changing flights is an admin's. */
const auth = await fileAuth();
async function withTokens(t: Parameters<typeof build>[0]) {
  const { app } = await build(t, { auth, flights: SAMPLE_FLIGHTS });
  return { app, admin: (await auth.admin()).headers, service: (await auth.service()).headers };
}

t.test("GET /api/flights/:id: the flight with live seats; 404 for an unknown one", async (t) => {
  const { app } = await build(t, { auth, flights: SAMPLE_FLIGHTS });
  const res = await app.inject({ method: "GET", url: "/api/flights/4" });
  t.equal(res.statusCode, 200);
  t.same(res.json(), {
    id: 4,
    flight_number: "AI201",
    airline: "Air India",
    source: "DEL",
    destination: "BLR",
    departure_time: "2024-02-15T09:00:00Z",
    arrival_time: "2024-02-15T12:00:00Z",
    total_seats: 180,
    booked_seats: 40,
    price: 12000,
    status: "scheduled",
    available_seats: 140,
  });
  const missing = await app.inject({ method: "GET", url: "/api/flights/999" });
  t.equal(missing.statusCode, 404);
  t.same(missing.json(), { error: "flight_not_found", message: "The flight was not found.", flight_id: 999 });
  const bad = await app.inject({ method: "GET", url: "/api/flights/abc" });
  t.equal(bad.statusCode, 400);
  t.equal(bad.json().field, "id");
});

t.test("POST /api/flights: 201 with the flight, searchable at once (new connections too)", async (t) => {
  const { app, admin } = await withTokens(t);
  await search(app, { source: "DEL", destination: "CCU" });
  const res = await app.inject({ method: "POST", url: "/api/flights", payload: NEW_FLIGHT, headers: admin });
  t.equal(res.statusCode, 201);
  t.same(res.json(), NEW_FLIGHT_CREATED);
  const body = await search(app, { source: "DEL", destination: "CCU" });
  t.same(numbers(body), [["AI405"], ["AI101", "6E123"]], "AI101 lands 10:30, 45 min before 6E123");
  t.equal(body.paths[1]?.total_price, 13499.99);
});

t.test("POST /api/flights to an airport the timetable did not have", async (t) => {
  const { app, admin } = await withTokens(t);
  const res = await app.inject({
    method: "POST",
    url: "/api/flights",
    headers: admin,
    payload: {
      ...NEW_FLIGHT,
      source: "BLR",
      destination: "GOI",
      departure_time: "2024-02-15T13:00Z",
      arrival_time: "2024-02-15T14:30Z",
    },
  });
  t.equal(res.statusCode, 201);
  const body = await search(app, { source: "DEL", destination: "GOI", limit: 3 });
  t.same(numbers(body), [
    ["AI201", "6E123"],
    ["AI401", "AI402", "6E123"],
    ["AI401", "AI404", "6E123"],
  ]);
});

t.test("a path of its own is no flight id: 405 with the methods of that path", async (t) => {
  const { app, admin } = await withTokens(t);
  for (const [method, url, allow] of [
    ["POST", "/api/flights/search", "GET, HEAD"],
    ["PATCH", "/api/flights/search", "GET, HEAD"],
    ["GET", "/api/flights/validate", "POST"],
    ["PATCH", "/api/flights/holds", "POST"],
    ["POST", "/api/flights/4", "GET, HEAD, PATCH"],
  ] as const) {
    const res = await app.inject({ method, url, headers: admin, payload: { price: 1 } });
    t.same(
      [res.statusCode, res.headers.allow, res.json()],
      [405, allow, { error: "method_not_allowed", message: `${method} is not allowed here; use ${allow}.` }],
      `${method} ${url}`,
    );
  }
});

t.test("POST /api/flights refuses bad flights, naming the field", async (t) => {
  const { app, admin } = await withTokens(t);
  const cases: [string, Record<string, unknown>, number, string][] = [
    ["arrival before departure", { arrival_time: "2024-02-15T11:00:00Z" }, 400, "arrival_time"],
    ["arrival equal to departure", { arrival_time: "2024-02-15T11:15:00Z" }, 400, "arrival_time"],
    ["arrival over 48 hours after departure", { arrival_time: "2024-02-17T11:16:00Z" }, 400, "arrival_time"],
    ["source of four letters", { source: "BOMB" }, 400, "source"],
    ["destination with a digit", { destination: "CC1" }, 400, "destination"],
    ["source equal to destination", { destination: "BOM" }, 400, "destination"],
    ["an impossible time", { departure_time: "2024-02-30T11:15:00Z" }, 400, "departure_time"],
    ["a time off the whole minute", { departure_time: "2024-02-15T11:15:30Z" }, 400, "departure_time"],
    ["no time at all", { departure_time: "tomorrow" }, 400, "departure_time"],
    ["no seats", { total_seats: 0 }, 400, "total_seats"],
    ["a negative price", { price: -1 }, 400, "price"],
    ["a price of three decimals", { price: 10.005 }, 400, "price"],
    ["a bad flight number", { flight_number: "A-1" }, 400, "flight_number"],
    ["an unknown field", { gate: "B12" }, 400, "gate"],
    ["a missing field", { total_seats: undefined }, 400, "total_seats"],
    ["an empty airline", { airline: "" }, 400, "airline"],
    ["an airline of white space", { airline: " \u00a0 " }, 400, "airline"],
    ["an airline with a line break", { airline: "Indi\nGo" }, 400, "airline"],
    ["an airline with a terminal escape", { airline: "\u001b[2JIndiGo" }, 400, "airline"],
  ];
  for (const [name, change, status, field] of cases) {
    const res = await app.inject({
      method: "POST",
      url: "/api/flights",
      payload: { ...NEW_FLIGHT, ...change },
      headers: admin,
    });
    t.equal(res.statusCode, status, name);
    t.equal(res.json().error, "validation_error", name);
    t.equal(res.json().field, field, name);
  }
  const [count] = await app.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM flights`;
  t.equal(count?.n, 16, "nothing was added");
});

t.test("PATCH /api/flights/:id: price, times, status and seats, reflected in search", async (t) => {
  const { app, admin } = await withTokens(t);
  t.same(numbers(await search(app, { source: "DEL", destination: "BLR", limit: 3 })), [
    ["AI201"],
    ["AI202"],
    ["AI401", "AI402"],
  ]);
  // AI402 (id 9) leaves HYD 10:30; at 09:44 it is one minute short of the minimum connection.
  const early = await app.inject({
    method: "PATCH",
    headers: admin,
    url: "/api/flights/9",
    payload: { departure_time: "2024-02-15T09:44:00Z", arrival_time: "2024-02-15T10:44:00Z" },
  });
  t.equal(early.statusCode, 200);
  t.equal(early.json().departure_time, "2024-02-15T09:44:00Z");
  t.same(numbers(await search(app, { source: "DEL", destination: "BLR", limit: 3 })), [
    ["AI201"],
    ["AI202"],
    ["AI401", "AI404"],
  ]);
  const cancelled = await app.inject({
    method: "PATCH",
    url: "/api/flights/4",
    payload: { status: "cancelled" },
    headers: admin,
  });
  t.equal(cancelled.json().status, "cancelled");
  t.same(numbers(await search(app, { source: "DEL", destination: "BLR", limit: 2 })), [["AI202"], ["AI401", "AI404"]]);

  const seats = await app.inject({
    method: "PATCH",
    url: "/api/flights/5",
    payload: { total_seats: 65 },
    headers: admin,
  });
  t.equal(seats.statusCode, 200);
  t.same([seats.json().total_seats, seats.json().available_seats], [65, 5]);
  t.same(numbers(await search(app, { source: "DEL", destination: "BLR", limit: 1, seats: 6 })), [["AI401", "AI404"]]);
  const more = await app.inject({
    method: "PATCH",
    url: "/api/flights/5",
    payload: { total_seats: 200 },
    headers: admin,
  });
  t.same([more.json().total_seats, more.json().available_seats], [200, 140]);
});

t.test("PATCH refusals: 404, 400 naming the field, 409 below booked or held seats", async (t) => {
  const { app, admin, service } = await withTokens(t);
  const patch = (id: number, payload: Record<string, unknown>) =>
    app.inject({ method: "PATCH", url: `/api/flights/${id}`, payload, headers: admin });
  const missing = await patch(999, { price: 1 });
  t.equal(missing.statusCode, 404);
  t.equal(missing.json().error, "flight_not_found");
  for (const [name, payload, field] of [
    ["arrival before the current departure", { arrival_time: "2024-02-15T08:59:00Z" }, "arrival_time"],
    ["departure after the current arrival", { departure_time: "2024-02-15T12:00:00Z" }, "arrival_time"],
    ["arrival decades after departure", { arrival_time: "2054-02-15T12:00:00Z" }, "arrival_time"],
    ["arrival a minute over 48 hours after departure", { arrival_time: "2024-02-17T09:01:00Z" }, "arrival_time"],
    ["departure moved over 48 hours before arrival", { departure_time: "2024-02-13T11:59:00Z" }, "arrival_time"],
    ["an unknown status", { status: "boarding" }, "status"],
    ["a field that cannot change", { source: "BOM" }, "source"],
    ["an airline, which cannot change either", { airline: "IndiGo" }, "airline"],
    ["nothing to change", {}, "body"],
  ] as const) {
    const res = await patch(4, payload);
    t.equal(res.statusCode, 400, name);
    t.equal(res.json().field, field, name);
  }
  // AI201 (id 4): 40 booked of 180.
  const below = await patch(4, { total_seats: 39 });
  t.equal(below.statusCode, 409);
  t.same(below.json(), {
    error: "conflict",
    message: "total_seats 39 is below the 40 seats already booked.",
    field: "total_seats",
    booked_seats: 40,
  });
  const hold = await app.inject({
    method: "POST",
    url: "/api/flights/holds",
    payload: { flight_ids: [4], seats: 5 },
    headers: service,
  });
  t.equal(hold.statusCode, 201);
  const held = await patch(4, { total_seats: 44 });
  t.equal(held.statusCode, 409);
  t.equal(held.json().error, "not_enough_seats");
  const row = await app.inject({ method: "GET", url: "/api/flights/4" });
  t.same([row.json().total_seats, row.json().available_seats], [180, 135], "nothing changed");
  const fits = await patch(4, { total_seats: 45 });
  t.same([fits.statusCode, fits.json().available_seats], [200, 0]);
});

t.test("a flight of 48 hours is accepted, one a minute longer refused", async (t) => {
  const { app, admin } = await withTokens(t);
  // AI202 (id 5) departs 2024-02-15 15:00.
  const patch = (arrival_time: string) =>
    app.inject({ method: "PATCH", url: "/api/flights/5", payload: { arrival_time }, headers: admin });
  const longer = await patch("2024-02-17T15:01:00Z");
  t.same(
    [longer.statusCode, longer.json()],
    [
      400,
      {
        error: "validation_error",
        message: "arrival_time must be at most 48 hours after departure_time",
        field: "arrival_time",
      },
    ],
  );
  const longest = await patch("2024-02-17T15:00:00Z");
  t.same([longest.statusCode, longest.json().arrival_time], [200, "2024-02-17T15:00:00Z"]);
});

t.test("PATCH cannot bring a cancelled flight back or move it: its bookings were cancelled and refunded", async (t) => {
  const { app, admin } = await withTokens(t);
  const patch = (payload: Record<string, unknown>) =>
    app.inject({ method: "PATCH", url: "/api/flights/4", payload, headers: admin });
  t.equal((await patch({ status: "cancelled" })).statusCode, 200);
  for (const status of ["scheduled", "delayed"]) {
    const back = await patch({ status, price: 1 });
    t.equal(back.statusCode, 409, status);
    t.same(
      back.json(),
      {
        error: "flight_cancelled",
        message: "The flight is cancelled; its status and times can no longer change.",
        field: "status",
        flight_id: 4,
      },
      status,
    );
  }
  // A new time would reach its subscribers as a delay of a flight they were told is gone.
  for (const field of ["departure_time", "arrival_time"]) {
    const row = (await app.inject({ method: "GET", url: "/api/flights/4" })).json();
    const later = new Date(Date.parse(row[field]) + 3_600_000).toISOString();
    const moved = await patch({ [field]: later });
    t.equal(moved.statusCode, 409, field);
    t.same(
      moved.json(),
      {
        error: "flight_cancelled",
        message: "The flight is cancelled; its status and times can no longer change.",
        field,
        flight_id: 4,
      },
      field,
    );
  }
  const row = await app.inject({ method: "GET", url: "/api/flights/4" });
  t.same([row.json().status, row.json().price], ["cancelled", 12000], "nothing changed");
  t.same(numbers(await search(app, { source: "DEL", destination: "BLR", limit: 1 })), [["AI202"]], "not for sale");
  const again = await patch({ status: "cancelled", price: 11000 });
  t.same([again.statusCode, again.json().status, again.json().price], [200, "cancelled", 11000], "other changes stand");
});

t.test("PATCH total_seats: 409 when the smaller cabin would drop a seat a passenger checked in to", async (t) => {
  const { app, admin } = await withTokens(t);
  const patch = (payload: Record<string, unknown>) =>
    app.inject({ method: "PATCH", url: "/api/flights/4", payload, headers: admin });
  // AI201 (id 4): 40 booked of 180; booking 7's passenger sits in 25F (row 25 of 30).
  await app.inventory.placeHold({ flightIds: [4], seats: 1, holdId: "bk-7" });
  await app.inventory.confirmHold("bk-7");
  await app.inventory.seating.assign(4, "7", [{ passenger: 0, seat: "25F" }]);

  const cut = await patch({ total_seats: 144 });
  t.equal(cut.statusCode, 409);
  t.same(cut.json(), {
    error: "conflict",
    message: "total_seats 144 leaves out seat 25F, where a passenger has checked in.",
    field: "total_seats",
    seats: ["25F"],
  });
  const row = await app.inject({ method: "GET", url: "/api/flights/4" });
  t.equal(row.json().total_seats, 180, "nothing changed");
  t.equal((await app.inventory.seating.seatMap(4)).free_seats, 179, "25F is still on the map, taken");

  const keeps = await patch({ total_seats: 150 });
  t.same([keeps.statusCode, keeps.json().total_seats], [200, 150], "a cabin that still has 25F");
});

// Holds and validations read a flight's price, date and status through a short cache; a change
// made here must not leave them on the old row for that long (a booking charged the old fare).
t.test("validate and holds see a flight as added or changed, at once", async (t) => {
  const { app, admin, service } = await withTokens(t);
  const validate = (flight_id: number, date = "2024-02-15") =>
    app.inject({ method: "POST", url: "/api/flights/validate", payload: { flight_id, seats: 1, date } });
  const hold = (flight_id: number, date: string) =>
    app.inject({
      method: "POST",
      url: "/api/flights/holds",
      headers: service,
      payload: { flight_ids: [flight_id], seats: 1, date },
    });
  const patch = (payload: Record<string, unknown>) =>
    app.inject({ method: "PATCH", url: "/api/flights/16", payload, headers: admin });

  t.match((await validate(16)).json(), { valid: true, price: 6500 });
  t.equal((await patch({ price: 1500 })).statusCode, 200);
  t.match((await validate(16)).json(), { valid: true, price: 1500 }, "the new price");
  t.match((await hold(16, "2024-02-15")).json(), { legs: [{ flight_id: 16, price: 1500 }] });

  t.equal(
    (await patch({ departure_time: "2024-02-16T12:00:00Z", arrival_time: "2024-02-16T13:30:00Z" })).statusCode,
    200,
  );
  t.match((await validate(16)).json(), { valid: false }, "the old date is no longer its date");
  t.equal((await hold(16, "2024-02-15")).statusCode, 400);
  t.equal((await hold(16, "2024-02-16")).statusCode, 201);

  t.equal((await patch({ status: "cancelled" })).statusCode, 200);
  t.match((await validate(16, "2024-02-16")).json(), { valid: false });
  t.equal((await hold(16, "2024-02-16")).statusCode, 409, "a cancelled flight is not held");

  t.match((await validate(17)).json(), { valid: false }, "id 17 does not exist yet");
  const added = await app.inject({ method: "POST", url: "/api/flights", payload: NEW_FLIGHT, headers: admin });
  t.equal(added.json().id, 17);
  t.match((await validate(17)).json(), { valid: true, price: 4999.99 }, "the new flight");
});
