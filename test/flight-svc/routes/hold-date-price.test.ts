import t from "tap";
import { keys } from "../../../flight-svc/inventory/keys.js";
import { fileAuth } from "../../helpers/auth.js";
import { build, seedFlights } from "../../helpers/flight-svc.js";

// A hold validates and prices what it holds, so booking-svc needs no validate call before it:
// with the travel date it refuses a first leg that departs on another day, naming the field,
// and its answer carries each leg's price.

const auth = await fileAuth();
const { app } = await build(t, { auth });
const service = (await auth.service()).headers;
const place = (payload: Record<string, unknown>) =>
  app.inject({ headers: service, method: "POST", url: "/api/flights/holds", payload });

t.test("a hold with the travel date: held and priced per leg", async (t) => {
  const [a, b] = await seedFlights(app.sql, [
    { total: 10, price: 4500.5 },
    { total: 5, price: 2000, source: "BOM", destination: "BLR", departure: "2024-02-16T01:00:00Z" },
  ]);
  const res = await place({ flight_ids: [a, b], seats: 2, date: "2024-02-15" });
  t.equal(res.statusCode, 201, "later legs may depart on later days");
  t.match(res.json(), {
    status: "held",
    seats: 2,
    legs: [
      { flight_id: a, available_seats: 8, price: 4500.5 },
      { flight_id: b, available_seats: 3, price: 2000 },
    ],
  });
});

t.test("a first leg that departs on another day: 400 naming date, nothing held", async (t) => {
  const [a] = await seedFlights(app.sql, [{ total: 10 }]);
  const res = await place({ flight_ids: [a], seats: 1, date: "2024-02-16", hold_id: "date-check-1" });
  t.equal(res.statusCode, 400);
  t.same(res.json(), {
    error: "validation_error",
    message: `date 2024-02-16 is not the departure date of flight ${a} (2024-02-15, UTC).`,
    field: "date",
    flight_id: a,
    legs: [{ flight_id: a, price: 5000 }],
  });
  t.same(await app.inventory.availableSeats([a!]), [10]);
  t.equal(await app.redis.exists(keys.hold("date-check-1")), 0, "no hold record");
});

t.test("a date that is not a calendar date is refused by the schema", async (t) => {
  const [a] = await seedFlights(app.sql, [{ total: 10 }]);
  const res = await place({ flight_ids: [a], seats: 1, date: "2024-02-30" });
  t.equal(res.statusCode, 400);
  t.match(res.json(), { error: "validation_error", field: "date" });
});
