import { bookingPhase } from "./booking-phase.js";
import { BookingTraffic } from "./booking-traffic.js";
import { createNetwork } from "./networks.js";
import type { Scenario } from "./types.js";

const TOTAL_SEATS = 180;
const FREE_SEATS = 8;

export const contentionScenario: Scenario = {
  name: "contention",
  description: `many concurrent bookings on six nearly full flights (${FREE_SEATS} of ${TOTAL_SEATS} seats free), incl. two-leg bookings; 10% declined`,
  defaults: { durationSeconds: 8, connections: 64 },
  targets: ["booking"],
  payment: { failure_rate: 0.1, timeout_rate: 0, latency_min_ms: 5, latency_max_ms: 20 },
  async run(env, opts) {
    const net = await createNetwork(env, 4, TOTAL_SEATS, FREE_SEATS);
    const traffic = new BookingTraffic(env.rng, env.customers, net.itineraries, env.tag, {
      maxSeats: 3,
      retryShare: 0,
      collectConfirmed: false,
    });
    const phase = await bookingPhase(env, opts, traffic, "contention");
    return { phases: [phase], outcomes: traffic.outcomes, flights: net.flights, answered: traffic.answered };
  },
};
