import t from "tap";
import { ConfigError } from "../../lib/config-parse.js";
import { loadPaymentConfig } from "../../payment-mock/config.js";
import { REFUSED_ONLY_BY, refusedByOthers } from "../helpers/config.js";

t.test("defaults need no environment: the original's 15% failures, 5% timeouts, 2–5 s latency", async (t) => {
  const c = loadPaymentConfig({});
  t.equal(c.payment.port, 8082);
  t.equal(c.payment.failureRate, 0.15);
  t.equal(c.payment.timeoutRate, 0.05);
  t.equal(c.payment.latencyMs, null);
  t.equal(c.payment.latencyMinMs, 2_000);
  t.equal(c.payment.latencyMaxMs, 5_000);
});

t.test("every bad value is reported at once, with the rules across them", async (t) => {
  const err = t.throws(() =>
    loadPaymentConfig({ LOG_LEVEL: "loud", PAYMENT_FAILURE_RATE: "0.8", PAYMENT_TIMEOUT_RATE: "0.5" }),
  ) as ConfigError;
  t.ok(err instanceof ConfigError);
  t.match(err.message, /LOG_LEVEL=loud: expected one of fatal, error/);
  t.match(err.message, /PAYMENT_FAILURE_RATE \+ PAYMENT_TIMEOUT_RATE: expected a sum of at most 1/);
  t.equal(err.problems.length, 2);
});

t.test("the latency range may not be inverted, unless a fixed latency replaces it", async (t) => {
  const range = { PAYMENT_LATENCY_MIN_MS: "300", PAYMENT_LATENCY_MAX_MS: "100" };
  const err = t.throws(() => loadPaymentConfig(range)) as ConfigError;
  t.same(err.problems, ["PAYMENT_LATENCY_MIN_MS: expected at most PAYMENT_LATENCY_MAX_MS"]);
  t.equal(loadPaymentConfig({ ...range, PAYMENT_LATENCY_MS: "50" }).payment.latencyMs, 50);
});

t.test("its rules are its own: the other services' and the tools' settings do not stop it", async (t) => {
  t.throws(() => loadPaymentConfig(REFUSED_ONLY_BY.payment), ConfigError);
  // payment-mock keeps its payments in memory: it has no Redis or PostgreSQL to point at.
  const c = loadPaymentConfig({ ...refusedByOthers("payment"), REDIS_URL: "http://x", DB_POOL_SIZE: "0" });
  t.equal(c.payment.port, 8082);
  t.notOk("flight" in c || "booking" in c || "redisUrl" in c, "no other service's settings");
});
