import t from "tap";
import { decide, pickLatency, pickOutcome } from "../../payment-mock/decide.js";
import { declineCodes } from "../../payment-mock/declines.js";
import { createRng } from "../../payment-mock/prng.js";
import type { MockSettings } from "../../payment-mock/settings.js";

const base: MockSettings = {
  failureRate: 0.15,
  timeoutRate: 0.05,
  latencyMinMs: 2_000,
  latencyMaxMs: 5_000,
  timeoutDelayMs: 10_000,
  timeoutOutcome: "not_processed",
  seed: 1,
};

t.test("the outcome follows the rates at their boundaries", async (t) => {
  t.equal(pickOutcome(base, 0), "failure");
  t.equal(pickOutcome(base, 0.1499), "failure");
  t.equal(pickOutcome(base, 0.15), "timeout");
  t.equal(pickOutcome(base, 0.1999), "timeout");
  t.equal(pickOutcome(base, 0.2), "success");
  t.equal(pickOutcome({ ...base, failureRate: 0, timeoutRate: 0 }, 0), "success");
  t.equal(pickOutcome({ ...base, failureRate: 1, timeoutRate: 0 }, 0.9999), "failure");
  t.equal(pickOutcome({ ...base, failureRate: 0, timeoutRate: 1 }, 0.9999), "timeout");
});

t.test("over many draws the shares match the configured rates", async (t) => {
  const rng = createRng(2024);
  const counts = { success: 0, failure: 0, timeout: 0 };
  for (let i = 0; i < 20_000; i++) counts[decide(base, rng, "upi").outcome]++;
  t.ok(Math.abs(counts.failure / 20_000 - 0.15) < 0.01, `failures ${counts.failure}`);
  t.ok(Math.abs(counts.timeout / 20_000 - 0.05) < 0.01, `timeouts ${counts.timeout}`);
});

t.test("latency is uniform within min..max, or fixed", async (t) => {
  const rng = createRng(3);
  const seen = Array.from({ length: 2_000 }, () => pickLatency(base, rng));
  t.ok(seen.every((ms) => Number.isInteger(ms) && ms >= 2_000 && ms <= 5_000));
  t.ok(Math.min(...seen) < 2_100 && Math.max(...seen) > 4_900);
  t.equal(pickLatency({ ...base, latencyMinMs: 40, latencyMaxMs: 40 }, rng), 40);
});

t.test("a timeout waits the timeout delay; a decline carries a reason fitting the payment type", async (t) => {
  const rng = createRng(5);
  t.same(decide(base, rng, "credit_card", "timeout"), { outcome: "timeout", delayMs: 10_000, declineCode: null });
  for (const type of ["credit_card", "debit_card", "upi", "net_banking"] as const) {
    for (let i = 0; i < 50; i++) {
      const d = decide(base, rng, type, "failure");
      t.ok(declineCodes(type).includes(d.declineCode as never), `${type}: ${d.declineCode}`);
    }
  }
  const ok = decide(base, rng, "upi", "success");
  t.equal(ok.outcome, "success");
  t.equal(ok.declineCode, null);
});

t.test("a seed makes the sequence of decisions reproducible", async (t) => {
  const run = (seed: number) => {
    const rng = createRng(seed);
    return Array.from({ length: 200 }, () => decide(base, rng, "debit_card"));
  };
  t.same(run(99), run(99));
  t.notSame(run(99), run(100));
});
