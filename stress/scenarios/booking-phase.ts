import { runLoad } from "../load/run-load.js";
import type { PhaseResult } from "../report/types.js";
import { BookingTraffic } from "./booking-traffic.js";
import { createNetwork } from "./networks.js";
import { bookingTarget } from "./targets.js";
import type { ScenarioEnv, ScenarioOptions } from "./types.js";

/**
 * One load phase of bookings only. `share` cuts the scenario's duration (or request count)
 * for scenarios that run in several phases.
 */
export function bookingPhase(
  env: ScenarioEnv,
  opts: ScenarioOptions,
  traffic: BookingTraffic,
  name: string,
  share = 1,
): Promise<PhaseResult> {
  return runLoad(
    {
      name,
      targets: [bookingTarget(env, opts.connections, traffic)],
      durationSeconds: Math.max(1, Math.round(opts.durationSeconds * share)),
      ...(opts.requests ? { amount: Math.max(1, Math.round(opts.requests * share)) } : {}),
      timeoutSeconds: env.timeoutSeconds,
    },
    env.progress,
  );
}

/** Four roomy legs (600 seats, all free) and plain booking traffic over them: the payment scenarios' setup. */
export async function roomyBookingTraffic(env: ScenarioEnv) {
  const net = await createNetwork(env, 4, 600, 600);
  const traffic = new BookingTraffic(env.rng, env.users, net.itineraries, env.tag, {
    maxSeats: 4,
    retryShare: 0,
    collectConfirmed: false,
  });
  return { net, traffic };
}
