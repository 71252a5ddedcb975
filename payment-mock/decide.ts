import { type DeclineCode, pickDecline } from "./declines.js";
import type { Rng } from "./prng.js";
import type { MockSettings } from "./settings.js";
import type { Outcome, PaymentType } from "./types.js";

export interface Decision {
  outcome: Outcome;
  /** How long the answer waits: the latency, or for a timeout the timeout delay. */
  delayMs: number;
  declineCode: DeclineCode | null;
}

/** failure in [0, failureRate), timeout in [failureRate, failureRate + timeoutRate), else success. */
export function pickOutcome(s: MockSettings, r: number): Outcome {
  if (r < s.failureRate) return "failure";
  if (r < s.failureRate + s.timeoutRate) return "timeout";
  return "success";
}

export function pickLatency(s: MockSettings, rng: Rng): number {
  if (s.latencyMaxMs <= s.latencyMinMs) return s.latencyMinMs;
  return s.latencyMinMs + Math.floor(rng() * (s.latencyMaxMs - s.latencyMinMs + 1));
}

/**
 * What happens to one payment. A forced outcome draws no number for the outcome itself, so
 * forcing one request does not shift the seeded sequence of the others more than needed.
 */
export function decide(s: MockSettings, rng: Rng, type: PaymentType, forced?: Outcome): Decision {
  const outcome = forced ?? pickOutcome(s, rng());
  if (outcome === "timeout") return { outcome, delayMs: s.timeoutDelayMs, declineCode: null };
  const delayMs = pickLatency(s, rng);
  const declineCode = outcome === "failure" ? pickDecline(type, rng()) : null;
  return { outcome, delayMs, declineCode };
}
