import t from "tap";
import { ConfigError, loadConfig } from "../../lib/config.js";

t.test("defaults need no environment", async (t) => {
  const c = loadConfig({});
  t.equal(c.flight.port, 8080);
  t.equal(c.booking.port, 8081);
  t.equal(c.payment.port, 8082);
  t.equal(c.redisUrl, "redis://127.0.0.1:6390");
  t.equal(c.flight.minConnectionMinutes, 45);
  t.equal(c.payment.failureRate, 0.15);
});

t.test("a bad value names the variable and what it accepts", async (t) => {
  const err = t.throws(() => loadConfig({ FLIGHT_PORT: "eighty" })) as ConfigError;
  t.ok(err instanceof ConfigError);
  t.match(err.message, /FLIGHT_PORT=eighty: expected an integer from 0 to 65535/);
});

t.test("every bad value is reported at once", async (t) => {
  const err = t.throws(() =>
    loadConfig({ LOG_LEVEL: "loud", REDIS_URL: "http://x", PAYMENT_FAILURE_RATE: "0.8", PAYMENT_TIMEOUT_RATE: "0.5" }),
  ) as ConfigError;
  t.match(err.message, /LOG_LEVEL=loud: expected one of fatal, error/);
  t.match(err.message, /REDIS_URL=http:\/\/x: expected a URL starting with redis:\/\//);
  t.match(err.message, /PAYMENT_FAILURE_RATE \+ PAYMENT_TIMEOUT_RATE: expected a sum of at most 1/);
  t.equal(err.problems.length, 3);
});

t.test("HTTP limits: validated, and a header deadline within the request's", async (t) => {
  t.same(loadConfig({}).http, {
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 30_000,
    keepAliveTimeoutMs: 72_000,
    maxConnections: 8_192,
  });
  const zero = t.throws(() =>
    loadConfig({ HTTP_KEEP_ALIVE_TIMEOUT_MS: "0", HTTP_MAX_CONNECTIONS: "0" }),
  ) as ConfigError;
  t.match(zero.message, /HTTP_KEEP_ALIVE_TIMEOUT_MS=0: expected an integer from 100 to 600000/);
  t.match(zero.message, /HTTP_MAX_CONNECTIONS=0: expected an integer from 1 to 1000000/);
  const order = t.throws(() =>
    loadConfig({ HTTP_HEADERS_TIMEOUT_MS: "20000", HTTP_REQUEST_TIMEOUT_MS: "10000" }),
  ) as ConfigError;
  t.same(order.problems, ["HTTP_HEADERS_TIMEOUT_MS: expected at most HTTP_REQUEST_TIMEOUT_MS"]);
});

t.test("flight-svc's settle grace must outlast booking-svc's longest wait before it retries a confirm", async (t) => {
  t.equal(loadConfig({}).flight.holdSettleGraceMs, 90_000);
  const err = t.throws(() =>
    loadConfig({ HOLD_SETTLE_GRACE_MS: "30000", BOOKING_PENDING_DEADLINE_SECONDS: "60" }),
  ) as ConfigError;
  t.same(err.problems, [
    "HOLD_SETTLE_GRACE_MS=30000: expected more than max(BOOKING_PENDING_DEADLINE_SECONDS, BOOKING_RETRY_MAX_SECONDS) × 1000 + BOOKING_SWEEP_MS + FLIGHT_TIMEOUT_MS = 70000, the longest booking-svc may take to retry a confirm; otherwise flight-svc releases seats booking-svc is still confirming",
  ]);
  t.doesNotThrow(() =>
    loadConfig({
      HOLD_SETTLE_GRACE_MS: "20000",
      BOOKING_PENDING_DEADLINE_SECONDS: "8",
      BOOKING_RETRY_MAX_SECONDS: "10",
      BOOKING_SWEEP_MS: "250",
      FLIGHT_TIMEOUT_MS: "2000",
      PAYMENT_TIMEOUT_MS: "500",
    }),
  );
  t.throws(() => loadConfig({ BOOKING_RETRY_MAX_SECONDS: "120" }), /HOLD_SETTLE_GRACE_MS=90000: expected more than/);
});
