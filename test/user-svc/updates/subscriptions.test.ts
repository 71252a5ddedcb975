import t from "tap";
import { tokenFor } from "../../helpers/updates-clients.js";
import { build } from "../../helpers/user-svc.js";

t.test("GET, POST and DELETE /api/subscriptions are the caller's own, within the limit", async (t) => {
  const { app, config } = await build(t, { env: { UPDATES_MAX_SUBSCRIPTIONS_PER_USER: "2" } });
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
  const { app, config } = await build(t, { env: { UPDATES_MAX_SUBSCRIPTIONS_PER_USER: "1" } });
  const big = { authorization: `Bearer ${await tokenFor(app, config, 2 ** 31)}` };
  const post = (flight_id: number) =>
    app.inject({ method: "POST", url: "/api/subscriptions", headers: big, payload: { flight_id } });
  t.equal((await post(2 ** 31 + 1)).statusCode, 201);
  t.equal((await post(7)).statusCode, 409, "the limit holds for it too");
  const list = await app.inject({ method: "GET", url: "/api/subscriptions", headers: big });
  t.same(
    list.json().subscriptions.map((s: { flight_id: number }) => s.flight_id),
    [2 ** 31 + 1],
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
