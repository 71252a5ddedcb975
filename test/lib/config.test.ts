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
