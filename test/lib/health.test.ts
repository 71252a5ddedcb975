import type { FastifyInstance } from "fastify";
import { Redis } from "ioredis";
import t from "tap";
import { buildApp as buildBooking } from "../../booking-svc/app.js";
import { buildApp as buildFlight } from "../../flight-svc/app.js";
import type { LogStream } from "../../lib/fastify-options.js";
import { READY_PROBE_PREFIX } from "../../lib/redis-readiness.js";
import { buildApp as buildPayment } from "../../payment-mock/app.js";
import { testBookingConfig, testFlightConfig, testPaymentConfig } from "../helpers/config.js";
import { DisposableRedis } from "../helpers/redis-server.js";
import { build as buildUser } from "../helpers/user-svc.js";

const services = [
  { name: "flight-svc", build: (env: Record<string, string> = {}) => buildFlight({ config: testFlightConfig(env) }) },
  {
    name: "booking-svc",
    build: (env: Record<string, string> = {}) => buildBooking({ config: testBookingConfig(env) }),
  },
  {
    name: "payment-mock",
    build: (env: Record<string, string> = {}) => buildPayment({ config: testPaymentConfig(env) }),
  },
] as const;

for (const { name, build } of services) {
  t.test(`${name} answers /health and /ready`, async (t) => {
    const app = await build();
    t.teardown(() => app.close());

    const health = await app.inject({ method: "GET", url: "/health" });
    t.equal(health.statusCode, 200);
    t.match(health.json(), { status: "healthy", service: name, uptime_s: Number });

    const ready = await app.inject({ method: "GET", url: "/ready" });
    t.equal(ready.statusCode, 200);
    t.match(ready.json(), { status: "ready", service: name });
  });
}

t.test("an unknown route is a 404 in the catalogue's shape", async (t) => {
  const app = await buildPayment({ config: testPaymentConfig() });
  t.teardown(() => app.close());
  const res = await app.inject({ method: "GET", url: "/nowhere" });
  t.equal(res.statusCode, 404);
  t.same(res.json(), { error: "not_found", message: "No route for GET /nowhere." });
});

for (const { name, build } of services.slice(0, 2)) {
  t.test(`${name} /ready is 503 naming redis while Redis is down, 200 once it is back`, async (t) => {
    const redis = await DisposableRedis.start();
    t.teardown(() => redis.stop());
    const app = await build({ REDIS_URL: redis.url });
    t.teardown(() => app.close());

    t.equal((await app.inject({ method: "GET", url: "/ready" })).statusCode, 200);

    await redis.stop();
    const down = await app.inject({ method: "GET", url: "/ready" });
    t.equal(down.statusCode, 503);
    t.match(down.json(), {
      error: "service_unavailable",
      message: "Not ready: redis unreachable.",
      checks: { redis: "down", postgres: "up" },
    });
    t.equal((await app.inject({ method: "GET", url: "/health" })).statusCode, 200, "still alive");

    await redis.startAgain();
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await app.inject({ method: "GET", url: "/ready" })).statusCode;
    }
    t.equal(status, 200, "ready again after Redis came back");
  });
}

// Services that write to Redis: /ready writes a probe key, since a Redis that refuses writes
// still answers a PING, and every write request of an instance that looked ready answered 503.
const writers = [
  {
    name: "flight-svc",
    build: async (_t: Tap, env: Record<string, string>, logStream?: LogStream) =>
      buildFlight({ config: testFlightConfig(env), logStream }),
  },
  {
    name: "booking-svc",
    build: async (_t: Tap, env: Record<string, string>, logStream?: LogStream) =>
      buildBooking({ config: testBookingConfig(env), logStream }),
  },
  {
    name: "user-svc",
    build: async (t: Tap, env: Record<string, string>, logStream?: LogStream) =>
      (await buildUser(t, { env, reset: false, logStream })).app,
  },
] as const;
type Tap = { teardown: (fn: () => unknown) => void };

async function readyStatus(app: FastifyInstance): Promise<number> {
  return (await app.inject({ method: "GET", url: "/ready" })).statusCode;
}

async function waitForReady(app: FastifyInstance, want: number): Promise<number> {
  let status = await readyStatus(app);
  for (let i = 0; i < 50 && status !== want; i++) {
    await new Promise((r) => setTimeout(r, 100));
    status = await readyStatus(app);
  }
  return status;
}

for (const { name, build } of writers) {
  t.test(`${name} /ready is 503 while Redis refuses writes (full, noeviction), 200 once it takes them`, async (t) => {
    const redis = await DisposableRedis.start();
    t.teardown(() => redis.stop());
    const admin = new Redis(redis.url);
    t.teardown(() => admin.quit());
    const lines: { msg?: string; code?: string; reason?: string; req?: { url?: string } }[] = [];
    const app = await build(
      t,
      { REDIS_URL: redis.url, LOG_LEVEL: "warn" },
      { write: (l: string) => void lines.push(JSON.parse(l)) },
    );
    t.teardown(() => app.close());
    t.equal(await readyStatus(app), 200);

    await admin.config("SET", "maxmemory-policy", "noeviction");
    await admin.config("SET", "maxmemory", "1");
    t.teardown(() => admin.config("SET", "maxmemory", "0"));
    t.equal(await admin.ping(), "PONG", "Redis still answers a read");
    const refused = await app.inject({ method: "GET", url: "/ready" });
    t.equal(refused.statusCode, 503);
    t.equal(refused.headers["retry-after"], "2");
    t.same(refused.json(), {
      error: "service_unavailable",
      message: "Not ready: redis refuses writes.",
      service: name,
      checks: { redis: "down", postgres: "up" },
    });
    const line = lines.find((l) => l.msg === "request completed" && l.req?.url === "/ready");
    t.match(line, { code: "service_unavailable", reason: /^redis: refuses writes: OOM command not allowed/ });

    await admin.config("SET", "maxmemory", "0");
    t.equal(await waitForReady(app, 200), 200, "ready again once Redis takes writes");
  });
}

t.test("flight-svc /ready names a replica (READONLY) and a master short of replicas (NOREPLICAS)", async (t) => {
  const redis = await DisposableRedis.start();
  t.teardown(() => redis.stop());
  const primary = await DisposableRedis.start();
  t.teardown(() => primary.stop());
  const admin = new Redis(redis.url);
  t.teardown(() => admin.quit());
  const lines: { msg?: string; reason?: string; req?: { url?: string } }[] = [];
  const app = await buildFlight({
    config: testFlightConfig({ REDIS_URL: redis.url, LOG_LEVEL: "warn" }),
    logStream: { write: (l: string) => void lines.push(JSON.parse(l)) },
  });
  t.teardown(() => app.close());
  // Loaded first: flight-svc's start writes to Redis.
  await app.ready();
  const lastReason = () => lines.filter((l) => l.req?.url === "/ready").at(-1)?.reason;

  await admin.call("REPLICAOF", "127.0.0.1", String(primary.port));
  t.teardown(() => admin.call("REPLICAOF", "NO", "ONE"));
  t.equal(await waitForReady(app, 503), 503, "a replica is not ready");
  t.match(lastReason(), /^redis: refuses writes: READONLY /);
  await admin.call("REPLICAOF", "NO", "ONE");
  t.equal(await waitForReady(app, 200), 200, "a master again");

  await admin.config("SET", "min-replicas-to-write", "1");
  t.teardown(() => admin.config("SET", "min-replicas-to-write", "0"));
  t.equal(await readyStatus(app), 503, "a master with fewer replicas than it needs to write is not ready");
  t.match(lastReason(), /^redis: refuses writes: NOREPLICAS /);
  await admin.config("SET", "min-replicas-to-write", "0");
  t.equal(await readyStatus(app), 200);
});

t.test("/ready stays 200 while Redis is busy but takes writes, and its probe keeps one key that expires", async (t) => {
  const redis = await DisposableRedis.start();
  t.teardown(() => redis.stop());
  const busy = new Redis(redis.url);
  t.teardown(() => busy.quit());
  const app = await buildFlight({ config: testFlightConfig({ REDIS_URL: redis.url }) });
  t.teardown(() => app.close());

  // A script that holds Redis for 300 ms (well under /ready's one second), as a heavy moment does.
  const spin = busy.eval(
    "local t = redis.call('TIME') local start = t[1] * 1e6 + t[2] " +
      "repeat t = redis.call('TIME') until t[1] * 1e6 + t[2] - start > 300000 return 1",
    0,
  );
  await new Promise((r) => setTimeout(r, 20));
  t.equal(await readyStatus(app), 200, "ready while Redis is busy");
  await spin;

  for (let i = 0; i < 5; i++) t.equal(await readyStatus(app), 200);
  const probes = await busy.keys(`${READY_PROBE_PREFIX}*`);
  t.same(probes, [`${READY_PROBE_PREFIX}flight-svc:{0}`], "one probe key, whatever the number of probes");
  const ttl = await busy.pttl(probes[0] as string);
  t.ok(ttl > 0 && ttl <= 5_000, `it expires by itself (${ttl} ms left)`);
});
