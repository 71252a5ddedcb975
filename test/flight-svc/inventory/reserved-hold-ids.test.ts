import t from "tap";
import { SERVICE_TOKEN_HEADER } from "../../../contracts/flight-svc/holds.js";
import { keys } from "../../../flight-svc/inventory/keys.js";
import { asBookingSvc, build, seedFlights } from "../../helpers/flight-svc.js";

const refused = (prefix: string, owner: string) => ({
  error: "validation_error",
  message: `hold_id must not start with ${prefix}: the prefix is reserved for ${owner}`,
  field: "hold_id",
});

t.test("a client cannot take booking-svc's bk- id: 400 naming hold_id, nothing held", async (t) => {
  const { app } = await build(t, { env: { SERVICE_TOKEN: "the-real-token" } });
  const [a] = await seedFlights(app.sql, [{ total: 10 }]);
  const payload = { flight_ids: [a], seats: 2, hold_id: "bk-42" };
  for (const headers of [{}, { [SERVICE_TOKEN_HEADER]: "a-guess" }, { [SERVICE_TOKEN_HEADER]: "" }]) {
    const res = await app.inject({ method: "POST", url: "/api/flights/holds", payload, headers });
    t.equal(res.statusCode, 400);
    t.same(res.json(), refused("bk-", "booking-svc"));
  }
  t.equal(await app.redis.exists(keys.hold("bk-42")), 0, "no record under the id");
  t.same(await app.inventory.availableSeats([a!]), [10]);
});

t.test("booking-svc, with the service credential, holds under bk-<id>", async (t) => {
  const { app, config } = await build(t, { env: { SERVICE_TOKEN: "the-real-token" } });
  const [a] = await seedFlights(app.sql, [{ total: 10 }]);
  const res = await app.inject({
    method: "POST",
    url: "/api/flights/holds",
    payload: { flight_ids: [a], seats: 2, hold_id: "bk-42" },
    headers: asBookingSvc(config),
  });
  t.equal(res.statusCode, 201);
  t.match(res.json(), { hold_id: "bk-42", status: "held", seats: 2 });
});

t.test("flight-svc's own dec- and inc- ids are refused to everybody", async (t) => {
  const { app, config } = await build(t);
  const [a] = await seedFlights(app.sql, [{ total: 10 }]);
  for (const prefix of ["dec-", "inc-"]) {
    const res = await app.inject({
      method: "POST",
      url: "/api/flights/holds",
      payload: { flight_ids: [a], seats: 1, hold_id: `${prefix}1` },
      headers: asBookingSvc(config),
    });
    t.equal(res.statusCode, 400, prefix);
    t.same(res.json(), refused(prefix, "flight-svc"));
  }
  t.same(await app.inventory.availableSeats([a!]), [10]);
});

t.test("ids that only look alike are a client's to choose", async (t) => {
  const { app } = await build(t);
  const [a] = await seedFlights(app.sql, [{ total: 10 }]);
  for (const id of ["booking-42", "bk42", "BK-42", "x-bk-42", "decade-1"]) {
    const res = await app.inject({
      method: "POST",
      url: "/api/flights/holds",
      payload: { flight_ids: [a], seats: 1, hold_id: id },
    });
    t.equal(res.statusCode, 201, id);
  }
});
