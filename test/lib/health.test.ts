import t from "tap";
import { buildApp as buildBooking } from "../../booking-svc/app.js";
import { buildApp as buildFlight } from "../../flight-svc/app.js";
import { buildApp as buildPayment } from "../../payment-mock/app.js";
import { testBookingConfig, testFlightConfig, testPaymentConfig } from "../helpers/config.js";
import { DisposableRedis } from "../helpers/redis-server.js";

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
