import t from "tap";
import { keys } from "../../../flight-svc/inventory/keys.js";
import { startAuth } from "../../helpers/auth.js";
import { build, seedFlights } from "../../helpers/flight-svc.js";

const refused = (prefix: string, owner: string) => ({
  error: "validation_error",
  message: `hold_id must not start with ${prefix}: the prefix is reserved for ${owner}`,
  field: "hold_id",
});

t.test("only booking-svc's service token holds seats: a customer's or an admin's token is refused", async (t) => {
  const auth = await startAuth(t);
  const { app } = await build(t, { env: auth.env });
  const [a] = await seedFlights(app.sql, [{ total: 10 }]);
  const payload = { flight_ids: [a], seats: 2, hold_id: "bk-42" };
  for (const who of [await auth.customer(), await auth.admin()]) {
    const res = await app.inject({ method: "POST", url: "/api/flights/holds", payload, headers: who.headers });
    t.equal(res.statusCode, 403);
    t.match(res.json(), { error: "forbidden" });
  }
  const anonymous = await app.inject({ method: "POST", url: "/api/flights/holds", payload });
  t.equal(anonymous.statusCode, 401);
  t.equal(await app.redis.exists(keys.hold("bk-42")), 0, "no record under the id");
  t.same(await app.inventory.availableSeats([a!]), [10]);
});

t.test("booking-svc, with its service token, holds under bk-<id>", async (t) => {
  const auth = await startAuth(t);
  const { app } = await build(t, { env: auth.env });
  const [a] = await seedFlights(app.sql, [{ total: 10 }]);
  const res = await app.inject({
    method: "POST",
    url: "/api/flights/holds",
    payload: { flight_ids: [a], seats: 2, hold_id: "bk-42" },
    headers: (await auth.service()).headers,
  });
  t.equal(res.statusCode, 201);
  t.match(res.json(), { hold_id: "bk-42", status: "held", seats: 2 });
});

t.test("flight-svc's own dec- and inc- ids are refused to everybody, the service too", async (t) => {
  const auth = await startAuth(t);
  const { app } = await build(t, { env: auth.env });
  const [a] = await seedFlights(app.sql, [{ total: 10 }]);
  const service = await auth.service();
  for (const prefix of ["dec-", "inc-"]) {
    const res = await app.inject({
      method: "POST",
      url: "/api/flights/holds",
      payload: { flight_ids: [a], seats: 1, hold_id: `${prefix}1` },
      headers: service.headers,
    });
    t.equal(res.statusCode, 400, prefix);
    t.same(res.json(), refused(prefix, "flight-svc"));
  }
  t.same(await app.inventory.availableSeats([a!]), [10]);
});

t.test("with AUTH_MODE=off the gateway in front decides: bk- is open, dec- and inc- are not", async (t) => {
  const { app } = await build(t);
  const [a] = await seedFlights(app.sql, [{ total: 10 }]);
  const held = await app.inject({
    method: "POST",
    url: "/api/flights/holds",
    payload: { flight_ids: [a], seats: 1, hold_id: "bk-1" },
  });
  t.equal(held.statusCode, 201);
  const own = await app.inject({
    method: "POST",
    url: "/api/flights/holds",
    payload: { flight_ids: [a], seats: 1, hold_id: "dec-1" },
  });
  t.same(own.json(), refused("dec-", "flight-svc"));
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
