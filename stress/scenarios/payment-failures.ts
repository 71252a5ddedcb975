import { bookingPhase, roomyBookingTraffic } from "./booking-phase.js";
import type { Scenario } from "./types.js";

export const paymentFailuresScenario: Scenario = {
  name: "payment-failures",
  description:
    "bookings with 30% of payments declined: declined bookings fail, release their seats, charge nothing; flights sized to the load so seats do not run out",
  defaults: { durationSeconds: 10, connections: 32 },
  targets: ["booking"],
  payment: { failure_rate: 0.3, timeout_rate: 0, latency_min_ms: 5, latency_max_ms: 30 },
  async run(env, opts) {
    const { net, traffic } = await roomyBookingTraffic(env, opts);
    const phase = await bookingPhase(env, opts, traffic, "payment-failures");
    return { phases: [phase], outcomes: traffic.outcomes, flights: net.flights, answered: traffic.answered };
  },
};
