import t from "tap";
import { freePort } from "../../helpers/free-port.js";
import { openWs, tokenFor } from "../../helpers/updates-clients.js";
import { build } from "../../helpers/user-svc.js";

t.test("GET, POST and DELETE /api/subscriptions are the caller's own, within the limit", async (t) => {
  const { app, config } = await build(t, { flights: true, env: { UPDATES_MAX_SUBSCRIPTIONS_PER_USER: "2" } });
  const ada = { authorization: `Bearer ${await tokenFor(app, config, 1)}` };
  const bob = { authorization: `Bearer ${await tokenFor(app, config, 2)}` };
  const post = (headers: Record<string, string>, flight_id: unknown) =>
    app.inject({ method: "POST", url: "/api/subscriptions", headers, payload: { flight_id } });

  t.equal((await post(ada, 7)).statusCode, 201);
  t.equal((await post(ada, 7)).statusCode, 200, "again: already there");
  t.equal((await post(ada, 8)).statusCode, 201);
  const over = await post(ada, 9);
  t.equal(over.statusCode, 409);
  t.match(over.json(), { error: "conflict", field: "flight_id" });
  t.equal((await post(bob, 9)).statusCode, 201, "the limit is per user");

  const list = await app.inject({ method: "GET", url: "/api/subscriptions", headers: ada });
  t.same(
    list.json().subscriptions.map((s: { flight_id: number; source: string }) => [s.flight_id, s.source]),
    [
      [7, "user"],
      [8, "user"],
    ],
  );
  t.equal((await app.inject({ method: "DELETE", url: "/api/subscriptions/7", headers: ada })).statusCode, 204);
  const gone = await app.inject({ method: "DELETE", url: "/api/subscriptions/7", headers: ada });
  t.equal(gone.statusCode, 404);
  t.equal((await app.inject({ method: "DELETE", url: "/api/subscriptions/9", headers: ada })).statusCode, 404);
  t.equal((await post(ada, 9)).statusCode, 201, "a place was freed");
});

t.test("a user whose id is past 2^31 subscribes within the limit", async (t) => {
  const { app, config } = await build(t, { flights: true, env: { UPDATES_MAX_SUBSCRIPTIONS_PER_USER: "1" } });
  const big = { authorization: `Bearer ${await tokenFor(app, config, 2 ** 31)}` };
  const post = (flight_id: number) =>
    app.inject({ method: "POST", url: "/api/subscriptions", headers: big, payload: { flight_id } });
  t.equal((await post(8)).statusCode, 201);
  t.equal((await post(7)).statusCode, 409, "the limit holds for it too");
  const list = await app.inject({ method: "GET", url: "/api/subscriptions", headers: big });
  t.same(
    list.json().subscriptions.map((s: { flight_id: number }) => s.flight_id),
    [8],
  );
});

t.test("subscriptions need an access token and a flight id", async (t) => {
  const { app, config } = await build(t);
  const ada = { authorization: `Bearer ${await tokenFor(app, config, 1)}` };
  const anon = await app.inject({ method: "GET", url: "/api/subscriptions" });
  t.equal(anon.statusCode, 401);
  t.equal(anon.json().error, "unauthorized");
  for (const flight_id of [0, -1, "7", 1.5, null]) {
    const r = await app.inject({ method: "POST", url: "/api/subscriptions", headers: ada, payload: { flight_id } });
    t.equal(r.statusCode, 400, `flight_id ${JSON.stringify(flight_id)}`);
    t.match(r.json(), { error: "validation_error", field: "flight_id" });
  }
  const r = await app.inject({ method: "DELETE", url: "/api/subscriptions/abc", headers: ada });
  t.equal(r.statusCode, 400);
});

t.test("a flight flight-svc does not know is 404, over REST and WebSocket alike", async (t) => {
  const { app, config, url } = await build(t, { listen: true, flights: true });
  const token = await tokenFor(app, config, 1);
  const r = await app.inject({
    method: "POST",
    url: "/api/subscriptions",
    headers: { authorization: `Bearer ${token}` },
    payload: { flight_id: 999_999_999 },
  });
  t.equal(r.statusCode, 404);
  t.same(r.json(), { error: "flight_not_found", message: "The flight was not found.", flight_id: 999_999_999 });

  const ws = await openWs(url, { token });
  t.teardown(() => ws.close());
  ws.send({ type: "subscribe", flight_id: 999_999_999 });
  ws.send({ type: "subscribe", flight_id: 3 });
  await ws.inbox.until((i) => i.messages.length === 2);
  t.same(ws.inbox.messages, [
    { type: "error", error: "flight_not_found", message: "The flight was not found.", flight_id: 999_999_999 },
    { type: "subscribed", flight_id: 3 },
  ]);
  t.same(
    (await app.subscriptions.list(1)).map((s) => s.flight_id),
    [3],
    "only the flight that exists",
  );
});

t.test("while flight-svc is away a subscription is 503 and nothing is subscribed", async (t) => {
  const { app, config, url } = await build(t, {
    listen: true,
    env: { FLIGHT_SERVICE_URL: `http://127.0.0.1:${await freePort()}` },
  });
  const token = await tokenFor(app, config, 1);
  const r = await app.inject({
    method: "POST",
    url: "/api/subscriptions",
    headers: { authorization: `Bearer ${token}` },
    payload: { flight_id: 3 },
  });
  t.equal(r.statusCode, 503);
  t.equal(r.headers["retry-after"], "2");
  t.same(r.json(), { error: "service_unavailable", message: "flight-svc is unavailable; try again shortly." });

  const ws = await openWs(url, { token });
  t.teardown(() => ws.close());
  ws.send({ type: "subscribe", flight_id: 3 });
  ws.send({ type: "unsubscribe", flight_id: 3 });
  await ws.inbox.until((i) => i.messages.length === 2);
  t.same(ws.inbox.messages, [
    { type: "error", error: "service_unavailable", message: "flight-svc is unavailable; try again shortly." },
    { type: "error", error: "not_found", message: "No subscription to flight 3.", flight_id: 3 },
  ]);
  t.same(await app.subscriptions.list(1), []);
});

t.test("a POST answers the subscription it made, even when a DELETE from another device ends it at once", async (t) => {
  const { app, config } = await build(t, { flights: true });
  const ada = { authorization: `Bearer ${await tokenFor(app, config, 1)}` };
  // The other device's DELETE lands right after the POST's statement commits.
  const add = app.subscriptions.add.bind(app.subscriptions);
  app.subscriptions.add = async (...args) => {
    const made = await add(...args);
    await app.subscriptions.remove(1, 7);
    return made;
  };
  const res = await app.inject({ method: "POST", url: "/api/subscriptions", headers: ada, payload: { flight_id: 7 } });
  t.equal(res.statusCode, 201);
  t.match(res.json(), { flight_id: 7, source: "user", created_at: String });
});
