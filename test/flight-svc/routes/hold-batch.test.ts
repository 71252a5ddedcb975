import t from "tap";
import { MAX_HOLD_BATCH } from "../../../contracts/flight-svc/holds.js";
import { keys } from "../../../flight-svc/inventory/keys.js";
import { fileAuth } from "../../helpers/auth.js";
import { build, seedFlights } from "../../helpers/flight-svc.js";

// POST /api/flights/holds/batch places each hold as POST /api/flights/holds would, on its own,
// and answers each with the status and body that call would have had, in order; batch-confirm
// does the same for POST /api/flights/holds/:id/confirm.

const auth = await fileAuth();
const { app } = await build(t, { auth });
const service = (await auth.service()).headers;
const one = (hold: Record<string, unknown>) =>
  app.inject({ headers: service, method: "POST", url: "/api/flights/holds", payload: hold });
const batch = (holds: Record<string, unknown>[], as = service) =>
  app.inject({ headers: as, method: "POST", url: "/api/flights/holds/batch", payload: { items: holds } });

t.test("each hold answered as alone: placed, replayed, refused, in order", async (t) => {
  const [a, full, b] = await seedFlights(app.sql, [{ total: 10, price: 100 }, { total: 1 }, { total: 5 }]);
  t.equal((await one({ flight_ids: [b], seats: 1, hold_id: "bk-9001" })).statusCode, 201);
  const res = await batch([
    { hold: { flight_ids: [a], seats: 2, hold_id: "bk-9002", date: "2024-02-15" }, request_id: "req-1" },
    { hold: { flight_ids: [full], seats: 2, hold_id: "bk-9003" } },
    { hold: { flight_ids: [b], seats: 1, hold_id: "bk-9001" } },
    { hold: { flight_ids: [a], seats: 1, hold_id: "bk-9004", date: "2024-02-16" } },
    { hold: { flight_ids: [987654], seats: 1, hold_id: "bk-9005" } },
  ]);
  t.equal(res.statusCode, 200);
  const results = res.json().results as { status: number; body: Record<string, unknown> }[];
  t.same(
    results.map((r) => r.status),
    [201, 409, 200, 400, 404],
  );
  t.match(results[0]?.body, { hold_id: "bk-9002", status: "held", seats: 2, legs: [{ flight_id: a, price: 100 }] });
  t.match(results[1]?.body, { error: "not_enough_seats", flight_id: full, available_seats: 1 });
  t.match(results[2]?.body, { hold_id: "bk-9001", status: "held" }, "the same hold_id again: the same hold");
  t.match(results[3]?.body, { error: "validation_error", field: "date", flight_id: a });
  t.match(results[4]?.body, { error: "flight_not_found", flight_id: 987654 });
  t.same(await app.inventory.availableSeats([a!, full!, b!]), [8, 1, 4], "only the placed holds took seats");
  t.equal(await app.redis.exists(keys.hold("bk-9004")), 0, "the refused one holds nothing");
});

t.test("the same answers as the single call gives", async (t) => {
  const [a] = await seedFlights(app.sql, [{ total: 3 }]);
  const alone = await one({ flight_ids: [a], seats: 4, hold_id: "bk-9010" });
  const together = await batch([
    { hold: { flight_ids: [a], seats: 4, hold_id: "bk-9011" } },
    { hold: { flight_ids: [a], seats: 4, hold_id: "bk-9012" } },
  ]);
  t.same(together.json().results[0], { status: alone.statusCode, body: alone.json() });
});

t.test("a reserved hold id is refused per item for a caller that is not the service", async (t) => {
  const [a] = await seedFlights(app.sql, [{ total: 3 }]);
  const admin = (await auth.admin()).headers;
  const res = await batch([{ hold: { flight_ids: [a], seats: 1, hold_id: "dec-1" } }], service);
  t.match(res.json().results[0], { status: 400, body: { error: "validation_error", field: "hold_id" } });
  t.equal((await batch([{ hold: { flight_ids: [a], seats: 1 } }], admin)).statusCode, 403, "holds are the service's");
});

t.test("a batch out of the schema is refused whole, naming the field", async (t) => {
  const [a] = await seedFlights(app.sql, [{ total: 3 }]);
  const bad = await batch([{ hold: { flight_ids: [a], seats: 1 } }, { hold: { flight_ids: [a], seats: 0 } }]);
  t.equal(bad.statusCode, 400);
  t.match(bad.json(), { error: "validation_error", field: "items[1].hold.seats" });
  const many = Array.from({ length: MAX_HOLD_BATCH + 1 }, () => ({ hold: { flight_ids: [a], seats: 1 } }));
  t.match((await batch(many)).json(), { error: "validation_error", field: "items" });
  t.equal((await batch([])).statusCode, 400, "at least one hold");
  t.same(await app.inventory.availableSeats([a!]), [3], "nothing held");
});

t.test("confirms in one call: each answered as its own confirm", async (t) => {
  const [a] = await seedFlights(app.sql, [{ total: 10 }]);
  for (const id of ["bk-9020", "bk-9021", "bk-9022"]) {
    t.equal((await one({ flight_ids: [a], seats: 2, hold_id: id })).statusCode, 201);
  }
  const released = await app.inject({ headers: service, method: "DELETE", url: "/api/flights/holds/bk-9022" });
  t.equal(released.statusCode, 200);
  const confirmAlone = await app.inject({
    headers: service,
    method: "POST",
    url: "/api/flights/holds/bk-9021/confirm",
  });
  const res = await app.inject({
    headers: service,
    method: "POST",
    url: "/api/flights/holds/batch-confirm",
    payload: {
      items: [
        { hold_id: "bk-9020", request_id: "req-9" },
        { hold_id: "bk-9021" },
        { hold_id: "bk-9022" },
        { hold_id: "nope" },
      ],
    },
  });
  t.equal(res.statusCode, 200);
  const results = res.json().results as { status: number; body: Record<string, unknown> }[];
  t.same(
    results.map((r) => r.status),
    [200, 200, 409, 404],
  );
  t.same(results[0]?.body, { hold_id: "bk-9020", status: "confirmed", seats: 2, legs: [{ flight_id: a }] });
  t.same(results[1], { status: 200, body: confirmAlone.json() }, "confirmed before: the same answer again");
  t.match(results[2]?.body, { error: "hold_released", hold_id: "bk-9022" });
  t.match(results[3]?.body, { error: "hold_not_found" });
  const [row] = await app.sql<{ booked: number }[]>`SELECT booked_seats AS booked FROM flights WHERE id = ${a!}`;
  t.equal(row?.booked, 4, "the two confirmed holds are booked, once each");
});
