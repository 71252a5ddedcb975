import type { PhaseResult } from "../report/types.js";
import { bookingPhase, roomyBookingTraffic } from "./booking-phase.js";
import type { Scenario } from "./types.js";

const OUTCOMES = ["not_processed", "processed"] as const;

export const paymentTimeoutsScenario: Scenario = {
  name: "payment-timeouts",
  description:
    "bookings with 20% of payments timing out (and 10% declined), in two halves: timeouts that charged nothing, then timeouts that charged",
  defaults: { durationSeconds: 12, connections: 32 },
  targets: ["booking"],
  payment: { failure_rate: 0.1, timeout_rate: 0.2, latency_min_ms: 5, latency_max_ms: 30 },
  async run(env, opts) {
    const { net, traffic } = await roomyBookingTraffic(env, opts);
    const phases: PhaseResult[] = [];
    for (const outcome of OUTCOMES) {
      // The outcome of a timeout is a mock-wide setting: each half runs with one of them.
      await env.services.setPaymentConfig({ timeout_outcome: outcome });
      phases.push(await bookingPhase(env, opts, traffic, `payment-timeouts/${outcome}`, 1 / OUTCOMES.length));
    }
    return { phases, outcomes: traffic.outcomes, flights: net.flights, answered: traffic.answered };
  },
};
