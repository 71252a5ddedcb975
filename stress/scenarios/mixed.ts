import { routeDays } from "../invariants/reads.js";
import { runLoad } from "../load/run-load.js";
import { buildRouteMix, type SearchQuery } from "../route-mix.js";
import { BookingTraffic } from "./booking-traffic.js";
import { createNetwork, STRESS_AIRPORTS } from "./networks.js";
import { bookingTarget, searchTarget } from "./targets.js";
import type { Scenario } from "./types.js";

export const mixedScenario: Scenario = {
  name: "mixed",
  description:
    "search, book and cancel together: half the connections search (a quarter of them on the flights being booked), the rest book and cancel; 20% of bookings retried with the same Idempotency-Key; 15% declined, 5% timeouts that charged",
  defaults: { durationSeconds: 12, connections: 48 },
  targets: ["search", "booking+cancel"],
  payment: {
    failure_rate: 0.15,
    timeout_rate: 0.05,
    timeout_outcome: "processed",
    latency_min_ms: 5,
    latency_max_ms: 30,
  },
  async run(env, opts) {
    const net = await createNetwork(env, 4, 400, 400);
    const mix = buildRouteMix(await routeDays(env.flightsSql, STRESS_AIRPORTS));
    const own: SearchQuery[] = [
      { source: "QSA", destination: "QSB", date: net.flights[0]?.date ?? "", seats: 1, sort_by: "cheapest" },
      { source: "QSE", destination: "QSG", date: net.flights[0]?.date ?? "", seats: 1, sort_by: "fastest" },
    ];
    const nextSearch = (): SearchQuery =>
      env.rng.chance(0.25) ? { ...env.rng.pick(own), seats: env.rng.int(1, 4) } : mix.next(env.rng);
    const traffic = new BookingTraffic(env.rng, env.customers, net.itineraries, env.tag, {
      maxSeats: 4,
      retryShare: 0.2,
      collectConfirmed: true,
    });
    const searchConnections = Math.max(1, Math.floor(opts.connections / 2));
    const phase = await runLoad(
      {
        name: "mixed",
        targets: [
          searchTarget(env, searchConnections, nextSearch, traffic.outcomes),
          bookingTarget(env, Math.max(1, opts.connections - searchConnections), traffic, 0.3),
        ],
        durationSeconds: opts.durationSeconds,
        ...(opts.requests ? { amount: opts.requests } : {}),
        timeoutSeconds: env.timeoutSeconds,
      },
      env.progress,
    );
    return {
      phases: [phase],
      outcomes: traffic.outcomes,
      flights: net.flights,
      idempotency: traffic.idempotency,
      answered: traffic.answered,
    };
  },
};
