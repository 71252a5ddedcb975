// payment-mock's settings and their rules: the starting values of what PUT /api/payments/config changes.

import { TIMEOUT_OUTCOMES } from "../contracts/payment-mock/admin.js";
import { type Env, Reader } from "../lib/config-parse.js";
import { readServerSettings, WORKERS } from "../lib/server-config.js";

export function loadPaymentConfig(env: Env = process.env) {
  const r = new Reader(env);
  const config = {
    ...readServerSettings(r),
    payment: {
      port: r.int("PAYMENT_PORT", 8082, 0, 65535),
      workers: r.intOrAuto("PAYMENT_WORKERS", ...WORKERS),
      failureRate: r.num("PAYMENT_FAILURE_RATE", 0.15, 0, 1),
      timeoutRate: r.num("PAYMENT_TIMEOUT_RATE", 0.05, 0, 1),
      // A fixed latency (PAYMENT_LATENCY_MS) wins over the uniform MIN..MAX range.
      latencyMs: r.optionalInt("PAYMENT_LATENCY_MS", 0, 600_000),
      latencyMinMs: r.int("PAYMENT_LATENCY_MIN_MS", 2_000, 0, 600_000),
      latencyMaxMs: r.int("PAYMENT_LATENCY_MAX_MS", 5_000, 0, 600_000),
      timeoutDelayMs: r.int("PAYMENT_TIMEOUT_DELAY_MS", 10_000, 0, 600_000),
      timeoutOutcome: r.oneOf("PAYMENT_TIMEOUT_OUTCOME", "not_processed", TIMEOUT_OUTCOMES),
      seed: r.optionalInt("PAYMENT_SEED", 0, 2 ** 31 - 1),
      // Payments kept in memory (LRU), about 460 B each: the default caps them near 230 MB.
      maxStored: r.int("PAYMENT_MAX_STORED", 500_000, 1, 10_000_000),
    },
  };
  const p = config.payment;
  // Its payments, idempotency keys and run-time settings live in this process' memory: a second
  // worker would charge a retried payment again and answer lookups it never saw.
  if (p.workers !== 1) {
    r.problems.push(`PAYMENT_WORKERS: expected 1 (payment-mock keeps its payments in memory), got ${p.workers}`);
  }
  if (p.failureRate + p.timeoutRate > 1) {
    r.problems.push("PAYMENT_FAILURE_RATE + PAYMENT_TIMEOUT_RATE: expected a sum of at most 1");
  }
  if (p.latencyMs === null && p.latencyMinMs > p.latencyMaxMs) {
    r.problems.push("PAYMENT_LATENCY_MIN_MS: expected at most PAYMENT_LATENCY_MAX_MS");
  }
  return r.done(config);
}

export type PaymentConfig = ReturnType<typeof loadPaymentConfig>;
