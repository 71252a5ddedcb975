import t from "tap";
import type { AppError } from "../../lib/errors.js";
import { applyPatch, type MockSettings, settingsFromConfig, settingsToJson } from "../../payment-mock/settings.js";
import { testPaymentConfig } from "../helpers/config.js";

const current: MockSettings = {
  failureRate: 0.15,
  timeoutRate: 0.05,
  latencyMinMs: 2_000,
  latencyMaxMs: 5_000,
  timeoutDelayMs: 10_000,
  timeoutOutcome: "not_processed",
  seed: null,
};

function fieldOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return { code: (err as AppError).code, field: (err as AppError).details.field };
  }
  return "no error";
}

t.test("defaults are the original's: 15% failures, 5% timeouts, 2-5 s latency, random seed", async (t) => {
  const env = {
    PAYMENT_FAILURE_RATE: "",
    PAYMENT_TIMEOUT_RATE: "",
    PAYMENT_LATENCY_MS: "",
    PAYMENT_LATENCY_MIN_MS: "",
    PAYMENT_LATENCY_MAX_MS: "",
    PAYMENT_TIMEOUT_DELAY_MS: "",
    PAYMENT_TIMEOUT_OUTCOME: "",
    PAYMENT_SEED: "",
  };
  t.same(settingsFromConfig(testPaymentConfig(env).payment), current);
});

t.test("PAYMENT_LATENCY_MS fixes the latency; PAYMENT_SEED sets the seed", async (t) => {
  const s = settingsFromConfig(testPaymentConfig({ PAYMENT_LATENCY_MS: "25", PAYMENT_SEED: "42" }).payment);
  t.equal(s.latencyMinMs, 25);
  t.equal(s.latencyMaxMs, 25);
  t.equal(s.seed, 42);
});

t.test("a patch changes only what it names", async (t) => {
  const next = applyPatch(current, { failure_rate: 0.5, timeout_outcome: "processed", seed: 7 });
  t.same(settingsToJson(next), {
    failure_rate: 0.5,
    timeout_rate: 0.05,
    latency_min_ms: 2_000,
    latency_max_ms: 5_000,
    timeout_delay_ms: 10_000,
    timeout_outcome: "processed",
    seed: 7,
  });
  t.equal(applyPatch(next, { seed: null }).seed, null);
  t.equal(applyPatch(next, {}).seed, 7);
});

t.test("latency_ms sets both ends of the range", async (t) => {
  const next = applyPatch(current, { latency_ms: 0 });
  t.equal(next.latencyMinMs, 0);
  t.equal(next.latencyMaxMs, 0);
});

t.test("rates may sum to 1 but not above; the field named is the one sent", async (t) => {
  t.equal(applyPatch(current, { failure_rate: 0.7, timeout_rate: 0.3 }).failureRate, 0.7);
  t.same(
    fieldOf(() => applyPatch(current, { failure_rate: 0.96 })),
    { code: "validation_error", field: "failure_rate" },
  );
  t.same(
    fieldOf(() => applyPatch(current, { timeout_rate: 0.9 })),
    { code: "validation_error", field: "timeout_rate" },
  );
});

t.test("an inverted latency range or a fixed latency with a range is refused", async (t) => {
  t.same(
    fieldOf(() => applyPatch(current, { latency_min_ms: 6_000 })),
    {
      code: "validation_error",
      field: "latency_min_ms",
    },
  );
  t.same(
    fieldOf(() => applyPatch(current, { latency_max_ms: 100 })),
    {
      code: "validation_error",
      field: "latency_max_ms",
    },
  );
  t.same(
    fieldOf(() => applyPatch(current, { latency_ms: 5, latency_max_ms: 10 })),
    {
      code: "validation_error",
      field: "latency_ms",
    },
  );
});
