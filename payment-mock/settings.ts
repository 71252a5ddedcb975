import { validationError } from "../lib/errors.js";
import type { PaymentConfig } from "./config.js";
import type { TimeoutOutcome } from "./types.js";

/** The knobs of the mock, changeable at run time through PUT /api/payments/config. */
export interface MockSettings {
  failureRate: number;
  timeoutRate: number;
  latencyMinMs: number;
  latencyMaxMs: number;
  timeoutDelayMs: number;
  timeoutOutcome: TimeoutOutcome;
  /** null: a random seed, so every run differs. */
  seed: number | null;
}

/** The wire form (GET/PUT /api/payments/config). */
export interface SettingsJson {
  failure_rate: number;
  timeout_rate: number;
  latency_min_ms: number;
  latency_max_ms: number;
  timeout_delay_ms: number;
  timeout_outcome: TimeoutOutcome;
  seed: number | null;
}

/** A PUT body: any subset, plus `latency_ms` as a shorthand for a fixed latency. */
export type SettingsPatch = Partial<SettingsJson> & { latency_ms?: number };

export function settingsFromConfig(c: PaymentConfig["payment"]): MockSettings {
  return {
    failureRate: c.failureRate,
    timeoutRate: c.timeoutRate,
    latencyMinMs: c.latencyMs ?? c.latencyMinMs,
    latencyMaxMs: c.latencyMs ?? c.latencyMaxMs,
    timeoutDelayMs: c.timeoutDelayMs,
    timeoutOutcome: c.timeoutOutcome,
    seed: c.seed,
  };
}

export function settingsToJson(s: MockSettings): SettingsJson {
  return {
    failure_rate: s.failureRate,
    timeout_rate: s.timeoutRate,
    latency_min_ms: s.latencyMinMs,
    latency_max_ms: s.latencyMaxMs,
    timeout_delay_ms: s.timeoutDelayMs,
    timeout_outcome: s.timeoutOutcome,
    seed: s.seed,
  };
}

/**
 * The settings after `patch`, checked as a whole (ranges per field are the schema's job): the
 * rates may not sum above 1 and the latency range may not be inverted. Throws a 400 naming the
 * field; on error nothing changes.
 */
export function applyPatch(current: MockSettings, patch: SettingsPatch): MockSettings {
  const hasRange = patch.latency_min_ms !== undefined || patch.latency_max_ms !== undefined;
  if (patch.latency_ms !== undefined && hasRange) {
    throw validationError("latency_ms", "latency_ms sets a fixed latency: give it or latency_min_ms/latency_max_ms");
  }
  const next: MockSettings = {
    failureRate: patch.failure_rate ?? current.failureRate,
    timeoutRate: patch.timeout_rate ?? current.timeoutRate,
    latencyMinMs: patch.latency_ms ?? patch.latency_min_ms ?? current.latencyMinMs,
    latencyMaxMs: patch.latency_ms ?? patch.latency_max_ms ?? current.latencyMaxMs,
    timeoutDelayMs: patch.timeout_delay_ms ?? current.timeoutDelayMs,
    timeoutOutcome: patch.timeout_outcome ?? current.timeoutOutcome,
    seed: patch.seed === undefined ? current.seed : patch.seed,
  };
  // Tolerance for binary fractions: 0.7 + 0.3 is 1.0000000000000002 in doubles.
  if (next.failureRate + next.timeoutRate > 1 + 1e-9) {
    const field = patch.timeout_rate !== undefined ? "timeout_rate" : "failure_rate";
    throw validationError(field, "failure_rate + timeout_rate must be at most 1");
  }
  if (next.latencyMinMs > next.latencyMaxMs) {
    const field = patch.latency_min_ms !== undefined ? "latency_min_ms" : "latency_max_ms";
    throw validationError(field, "latency_min_ms must be at most latency_max_ms");
  }
  return next;
}
