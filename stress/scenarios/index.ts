import { changesScenario } from "./changes.js";
import { checkInScenario } from "./check-in.js";
import { contentionScenario } from "./contention.js";
import { failoverScenario } from "./failover.js";
import { loyaltyScenario } from "./loyalty.js";
import { mixedScenario } from "./mixed.js";
import { paymentFailuresScenario } from "./payment-failures.js";
import { paymentTimeoutsScenario } from "./payment-timeouts.js";
import { searchScenario } from "./search.js";
import type { Scenario } from "./types.js";

/** Every scenario, in the order a full run takes them. */
export const SCENARIOS: readonly Scenario[] = [
  searchScenario,
  contentionScenario,
  paymentFailuresScenario,
  paymentTimeoutsScenario,
  mixedScenario,
  checkInScenario,
  changesScenario,
];

/**
 * Scenarios run only when named (`--scenario loyalty`): a run waits for its flights to land,
 * a minute or two, which a full run of every scenario should not.
 */
export const NAMED_ONLY: readonly Scenario[] = [loyaltyScenario];

/** The scenarios only --topology cluster runs, after every other one. */
export const CLUSTER_SCENARIOS: readonly Scenario[] = [failoverScenario];

export function scenarioNamed(name: string): Scenario | undefined {
  return [...SCENARIOS, ...NAMED_ONLY, ...CLUSTER_SCENARIOS].find((s) => s.name === name);
}
