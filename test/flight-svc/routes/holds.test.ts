import t from "tap";
import { keys } from "../../../flight-svc/inventory/keys.js";
import { fileAuth } from "../../helpers/auth.js";
import { bookedSeats, build, seedFlights } from "../../helpers/flight-svc.js";

/** flight-svc with AUTH_MODE=required and booking-svc's service token, the one that holds seats. */
const auth = await fileAuth();
async function withService(t: Parameters<typeof build>[0], env: Record<string, string> = {}) {
  const { app } = await build(t, { auth, env });
  return { app, service: (await auth.service()).headers };
}

t.test("a hold on every leg answers 201 with the seats left per leg", async (t) => {
  const { app, service } = await withService(t);
  const [a, b] = await seedFlights(app.sql, [{ total: 10 }, { total: 5, booked: 1 }]);
  const res = await app.inject({
    headers: service,
    method: "POST",
    url: "/api/flights/holds",
    payload: { flight_ids: [a, b], seats: 2 },
  });
  t.equal(res.statusCode, 201);
  const body = res.json();
  t.match(body, {
    status: "held",
    seats: 2,
    legs: [
      { flight_id: a, available_seats: 8 },
      { flight_id: b, available_seats: 2 },
    ],
  });
  t.match(body.hold_id, /^[0-9a-f-]{36}$/);
  const ttl = Date.parse(body.expires_at) - Date.now();
  t.ok(ttl > 890_000 && ttl <= 900_000, "default ttl 900 s");
  const view = await app.inject({ headers: service, method: "GET", url: `/api/flights/holds/${body.hold_id}` });
  t.same(view.json(), {
    hold_id: body.hold_id,
    status: "held",
    seats: 2,
    expires_at: body.expires_at,
    legs: [{ flight_id: a }, { flight_id: b }],
  });
});

t.test("not enough seats on one leg holds nothing", async (t) => {
  const { app, service } = await withService(t);
  const [a, b] = await seedFlights(app.sql, [{ total: 10 }, { total: 3, booked: 2 }]);
  const res = await app.inject({
    headers: service,
    method: "POST",
    url: "/api/flights/holds",
    payload: { flight_ids: [a, b], seats: 2 },
  });
  t.equal(res.statusCode, 409);
  t.same(res.json(), {
    error: "not_enough_seats",
    message: "Not enough seats are available.",
    flight_id: b,
    available_seats: 1,
    legs: [
      { flight_id: a, price: 5000 },
      { flight_id: b, price: 5000 },
    ],
  });
  t.same(await app.inventory.availableSeats([a!, b!]), [10, 1]);
  t.equal(await app.redis.hlen(keys.flightHolds(a!)), 0);
});

t.test("unknown and cancelled flights, bad input", async (t) => {
  const { app, service } = await withService(t);
  const [a, c] = await seedFlights(app.sql, [{ total: 10 }, { total: 10, status: "cancelled" }]);
  const post = (payload: unknown) =>
    app.inject({ headers: service, method: "POST", url: "/api/flights/holds", payload: payload as object });
  const unknown = await post({ flight_ids: [a, 999], seats: 1 });
  t.equal(unknown.statusCode, 404);
  t.match(unknown.json(), { error: "flight_not_found", flight_id: 999 });
  const cancelled = await post({ flight_ids: [c], seats: 1 });
  t.equal(cancelled.statusCode, 409);
  t.same(cancelled.json(), {
    error: "flight_cancelled",
    message: cancelled.json().message,
    flight_id: c,
    legs: [{ flight_id: c, price: 5000 }],
  });
  for (const [payload, field] of [
    [{ flight_ids: [a, a], seats: 1 }, "flight_ids"],
    [{ flight_ids: [], seats: 1 }, "flight_ids"],
    [{ flight_ids: [1, 2, 3, 4, 5], seats: 1 }, "flight_ids"],
    [{ flight_ids: [a], seats: 10 }, "seats"],
    [{ flight_ids: [a], seats: 0 }, "seats"],
    [{ flight_ids: [a], seats: 1, ttl_seconds: 1801 }, "ttl_seconds"],
    [{ flight_ids: [a], seats: 1, hold_id: "bad id!" }, "hold_id"],
  ] as const) {
    const res = await post(payload);
    t.equal(res.statusCode, 400, JSON.stringify(payload));
    t.match(res.json(), { error: "validation_error", field }, JSON.stringify(payload));
  }
  t.same(await app.inventory.availableSeats([a!]), [10]);
});

t.test("a client-chosen hold_id makes the hold idempotent", async (t) => {
  const { app, service } = await withService(t);
  const [a] = await seedFlights(app.sql, [{ total: 10 }]);
  const post = (payload: object) =>
    app.inject({ headers: service, method: "POST", url: "/api/flights/holds", payload });
  const first = await post({ flight_ids: [a], seats: 3, hold_id: "agent-1" });
  t.equal(first.statusCode, 201);
  const again = await post({ flight_ids: [a], seats: 3, hold_id: "agent-1" });
  t.equal(again.statusCode, 200);
  t.same(again.json(), first.json());
  const other = await post({ flight_ids: [a], seats: 2, hold_id: "agent-1" });
  t.equal(other.statusCode, 422);
  t.match(other.json(), { error: "idempotency_key_reused" });
  await app.inject({ headers: service, method: "DELETE", url: "/api/flights/holds/agent-1" });
  const ended = await post({ flight_ids: [a], seats: 3, hold_id: "agent-1" });
  t.equal(ended.statusCode, 409);
  t.match(ended.json(), { error: "hold_released" });
  t.same(await app.inventory.availableSeats([a!]), [10]);
});

t.test("confirm twice, release twice: one effect each", async (t) => {
  const { app, service } = await withService(t);
  const [a, b] = await seedFlights(app.sql, [{ total: 10 }, { total: 10 }]);
  const hold = (
    await app.inject({
      headers: service,
      method: "POST",
      url: "/api/flights/holds",
      payload: { flight_ids: [a, b], seats: 2 },
    })
  ).json();
  const confirm = () =>
    app.inject({ headers: service, method: "POST", url: `/api/flights/holds/${hold.hold_id}/confirm` });
  const c1 = await confirm();
  t.equal(c1.statusCode, 200);
  t.same(c1.json(), {
    hold_id: hold.hold_id,
    status: "confirmed",
    seats: 2,
    legs: [{ flight_id: a }, { flight_id: b }],
  });
  t.same((await confirm()).json(), c1.json());
  t.equal(await bookedSeats(app.sql, a!), 2);
  t.equal(await bookedSeats(app.sql, b!), 2);
  t.same(await app.inventory.availableSeats([a!, b!]), [8, 8]);

  const del = () => app.inject({ headers: service, method: "DELETE", url: `/api/flights/holds/${hold.hold_id}` });
  const d1 = await del();
  t.equal(d1.statusCode, 200);
  t.same(d1.json(), { hold_id: hold.hold_id, status: "cancelled", seats_returned: true });
  t.same((await del()).json(), { hold_id: hold.hold_id, status: "cancelled", seats_returned: false });
  t.equal(await bookedSeats(app.sql, a!), 0);
  t.same(await app.inventory.availableSeats([a!, b!]), [10, 10]);
  const after = await confirm();
  t.equal(after.statusCode, 409);
  t.match(after.json(), { error: "hold_released" });
  t.match((await app.inject({ headers: service, method: "GET", url: `/api/flights/holds/${hold.hold_id}` })).json(), {
    status: "cancelled",
  });
});

t.test("release, then confirm fails; a second release changes nothing", async (t) => {
  const { app, service } = await withService(t);
  const [a] = await seedFlights(app.sql, [{ total: 10 }]);
  const hold = (
    await app.inject({
      headers: service,
      method: "POST",
      url: "/api/flights/holds",
      payload: { flight_ids: [a], seats: 4 },
    })
  ).json();
  const del = () => app.inject({ headers: service, method: "DELETE", url: `/api/flights/holds/${hold.hold_id}` });
  t.same((await del()).json(), { hold_id: hold.hold_id, status: "released", seats_returned: true });
  t.same((await del()).json(), { hold_id: hold.hold_id, status: "released", seats_returned: false });
  t.same(await app.inventory.availableSeats([a!]), [10]);
  const c = await app.inject({ headers: service, method: "POST", url: `/api/flights/holds/${hold.hold_id}/confirm` });
  t.equal(c.statusCode, 409);
  t.match(c.json(), { error: "hold_released" });
  t.equal(await bookedSeats(app.sql, a!), 0);
  const unknown = await app.inject({ headers: service, method: "DELETE", url: "/api/flights/holds/nope" });
  t.equal(unknown.statusCode, 404);
  t.match(unknown.json(), { error: "hold_not_found" });
});

t.test("HOLD_TTL_SECONDS is the default lifetime of a hold", async (t) => {
  const { app, service } = await withService(t, { HOLD_TTL_SECONDS: "120" });
  const [a] = await seedFlights(app.sql, [{ total: 10 }]);
  const res = await app.inject({
    headers: service,
    method: "POST",
    url: "/api/flights/holds",
    payload: { flight_ids: [a], seats: 1 },
  });
  const ttl = Date.parse(res.json().expires_at) - Date.now();
  t.ok(ttl > 110_000 && ttl <= 120_000, `ttl ${ttl} ms`);
  const unknown = await app.inject({ headers: service, method: "GET", url: "/api/flights/holds/nope" });
  t.equal(unknown.statusCode, 404);
  t.same(unknown.json(), { error: "hold_not_found", message: "The hold was not found.", hold_id: "nope" });
});

t.test("an unknown hold id is 404 on every verb, also once a DELETE has marked it released", async (t) => {
  const { app, service } = await withService(t);
  const verbs = [
    ["GET", "/api/flights/holds/abc"],
    ["POST", "/api/flights/holds/abc/confirm"],
    ["DELETE", "/api/flights/holds/abc"],
    ["GET", "/api/flights/holds/abc"],
    ["POST", "/api/flights/holds/abc/confirm"],
  ] as const;
  for (const [method, url] of verbs) {
    const res = await app.inject({ headers: service, method, url });
    t.equal(res.statusCode, 404, `${method} ${url}`);
    t.same(res.json(), { error: "hold_not_found", message: "The hold was not found.", hold_id: "abc" });
  }
});
