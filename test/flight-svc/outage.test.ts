import t, { type Test } from "tap";
import { SAMPLE_FLIGHTS } from "../../flight-svc/data/sample-flights.js";
import { SERVICE_COMMAND_TIMEOUT_MS } from "../../lib/redis-plugin.js";
import { fileAuth } from "../helpers/auth.js";
import { testFlightConfig } from "../helpers/config.js";
import { build, seedFlights } from "../helpers/flight-svc.js";
import { DisposableRedis } from "../helpers/redis-server.js";
import { waitFor } from "../helpers/system.js";
import { TcpProxy } from "../helpers/tcp-proxy.js";

const auth = await fileAuth();
const service = (await auth.service()).headers;

// Redis or PostgreSQL going away: every answer is 503 service_unavailable with Retry-After
// (never 500), given at once rather than after a wait, and the service answers again within
// a second of the dependency's return, without a stale error from the outage.

const UNAVAILABLE = (what: string) => ({
  error: "service_unavailable",
  message: `${what} is unavailable; try again shortly.`,
});

t.test("flight-svc while PostgreSQL is away, and after", async (t) => {
  const base = testFlightConfig();
  const proxy = await TcpProxy.start(Number(new URL(base.flightsDatabaseUrl).port));
  t.teardown(() => proxy.cut());
  const { app } = await build(t, { auth, env: { FLIGHTS_DATABASE_URL: proxy.via(base.flightsDatabaseUrl) } });
  const [a, b] = await seedFlights(app.sql, [{ total: 10 }, { total: 10 }]);
  const get = () => app.inject({ method: "GET", url: `/api/flights/${a}` });
  t.equal((await get()).statusCode, 200);

  await proxy.cut();
  const first = await get();
  t.equal(first.statusCode, 503, "the request that meets the outage");
  t.same(first.json(), UNAVAILABLE("PostgreSQL"));
  t.equal(first.headers["retry-after"], "2");

  // Without a gate every request would try to connect, and postgres.js would wait longer
  // before each attempt (up to 20 s): the outage would be answered late, and recovery too.
  const started = performance.now();
  const during = [];
  for (let i = 0; i < 15; i++) during.push((await get()).statusCode);
  t.same(during, Array(15).fill(503));
  const took = performance.now() - started;
  t.ok(took < 500, `15 requests during the outage answered at once (${Math.round(took)} ms)`);
  const hold = await app.inject({
    headers: service,
    method: "POST",
    url: "/api/flights/holds",
    payload: { flight_ids: [b], seats: 1 },
  });
  t.equal(hold.statusCode, 503, "a hold that needs PostgreSQL");
  t.same(hold.json(), UNAVAILABLE("PostgreSQL"));
  const ready = await app.inject({ method: "GET", url: "/ready" });
  t.equal(ready.statusCode, 503);
  t.match(ready.json(), { checks: { redis: "up", postgres: "down" } });
  t.equal(ready.headers["retry-after"], "2");
  t.equal((await app.inject({ method: "GET", url: "/health" })).statusCode, 200, "alive");

  await proxy.restore();
  const back = performance.now();
  const ok = await waitFor(async () => (await get()).statusCode === 200, 5_000, 20);
  const recovery = performance.now() - back;
  t.ok(ok, "answers again");
  t.ok(recovery < 1_500, `within ${Math.round(recovery)} ms of PostgreSQL's return`);
  const after = await Promise.all(Array.from({ length: 20 }, () => get()));
  t.same(
    after.map((r) => r.statusCode),
    Array(20).fill(200),
    "no stale error from the outage",
  );
  t.equal((await app.inject({ method: "GET", url: "/ready" })).statusCode, 200);
});

/** flight-svc on a Redis of its own, and a hold of one seat on a flight of ten, which it holds. */
async function holdsOnOwnRedis(t: Test) {
  const redis = await DisposableRedis.start();
  t.teardown(() => redis.stop());
  const { app } = await build(t, { auth, env: { REDIS_URL: redis.url } });
  const [a] = await seedFlights(app.sql, [{ total: 10 }]);
  const hold = () =>
    app.inject({ headers: service, method: "POST", url: "/api/flights/holds", payload: { flight_ids: [a], seats: 1 } });
  t.equal((await hold()).statusCode, 201);
  return { redis, app, hold };
}

t.test("flight-svc while Redis is away: holds answer 503, not 500", async (t) => {
  const { redis, hold } = await holdsOnOwnRedis(t);

  await redis.stop();
  const started = performance.now();
  const down = await hold();
  t.equal(down.statusCode, 503);
  t.same(down.json(), UNAVAILABLE("Redis"));
  t.equal(down.headers["retry-after"], "2");
  t.ok(performance.now() - started < 2_000, "answered within two reconnect attempts");

  await redis.startAgain();
  const back = performance.now();
  t.ok(await waitFor(async () => (await hold()).statusCode === 201, 5_000, 50), "holds again");
  t.ok(performance.now() - back < 1_500, "within a second or so of Redis' return");
});

// A Redis that is up but refuses writes (full at its maxmemory with noeviction, or unable to
// save, or a replica) cannot serve a hold now: 503 with Retry-After, as an outage, never 500.
t.test("flight-svc while Redis refuses writes (out of memory): holds answer 503, then hold again", async (t) => {
  const { app, hold } = await holdsOnOwnRedis(t);

  await app.redis.config("SET", "maxmemory", "1");
  const full = await hold();
  t.equal(full.statusCode, 503);
  t.same(full.json(), UNAVAILABLE("Redis"));
  t.equal(full.headers["retry-after"], "2");

  await app.redis.config("SET", "maxmemory", "0");
  t.ok(await waitFor(async () => (await hold()).statusCode === 201, 5_000, 50), "holds again once memory is there");
});

t.test("a search while Redis refuses writes answers from what it reads; only its cache is not stored", async (t) => {
  const redis = await DisposableRedis.start();
  t.teardown(() => redis.stop());
  const env = { REDIS_URL: redis.url };
  const { app } = await build(t, { auth, env, flights: SAMPLE_FLIGHTS });
  // A second instance, whose own cache is empty, makes the search a miss once Redis' is deleted.
  const { app: other } = await build(t, { auth, env, reset: false });
  const search = (on: typeof app) =>
    on.inject({ method: "GET", url: "/api/flights/search?source=DEL&destination=BOM&date=2024-02-15" });
  // The seat counters exist now (a search reads them): a full Redis only refuses the cache.
  const expected = await search(app);
  t.ok(expected.json().count > 0);
  const cached = await app.redis.keys("search:v*");
  t.ok(cached.length > 0);
  await app.redis.del(...cached);
  await app.redis.config("SET", "maxmemory", "1");
  const full = await search(other);
  t.equal(full.statusCode, 200, "not a 503 for a cache it could not store");
  t.same(full.json(), expected.json());
});

// A Redis that stalls keeps its connections open: without a command timeout every request that
// reads a seat count would wait for as long as it stalls.
t.test("flight-svc while Redis stalls: 503 within the command timeout, then answers again", async (t) => {
  const redis = await DisposableRedis.start();
  t.teardown(() => redis.stop());
  const { app } = await build(t, { auth, env: { REDIS_URL: redis.url }, flights: SAMPLE_FLIGHTS });
  const a = 1;
  const calls = {
    "a flight": () => app.inject({ method: "GET", url: `/api/flights/${a}` }),
    "a search": () =>
      app.inject({ method: "GET", url: "/api/flights/search?source=DEL&destination=BOM&date=2024-02-15" }),
    "a validation": () =>
      app.inject({
        method: "POST",
        url: "/api/flights/validate",
        payload: { flight_id: a, seats: 1, date: "2024-02-15" },
      }),
    "a hold": () =>
      app.inject({
        headers: service,
        method: "POST",
        url: "/api/flights/holds",
        payload: { flight_ids: [a], seats: 1 },
      }),
  };
  for (const [what, call] of Object.entries(calls)) t.equal((await call()).statusCode < 300, true, `${what} before`);
  t.ok((await calls["a search"]()).json().count > 0, "the search finds flights");

  redis.freeze();
  // Without a timeout the requests would wait for the thaw: it comes late enough to fail the test.
  const late = setTimeout(() => redis.thaw(), SERVICE_COMMAND_TIMEOUT_MS + 5_000);
  t.teardown(() => {
    clearTimeout(late);
    redis.thaw();
  });
  const started = performance.now();
  const answers = await Promise.all(Object.values(calls).map((call) => call()));
  const took = performance.now() - started;
  for (const [i, what] of Object.keys(calls).entries()) {
    t.equal(answers[i]?.statusCode, 503, what);
    t.same(answers[i]?.json(), UNAVAILABLE("Redis"), what);
  }
  t.ok(took < SERVICE_COMMAND_TIMEOUT_MS + 1_500, `answered in ${Math.round(took)} ms, not when Redis is back`);

  redis.thaw();
  t.ok(await waitFor(async () => (await calls["a hold"]()).statusCode === 201, 5_000, 50), "holds again");
  t.equal((await calls["a flight"]()).statusCode, 200);
});
