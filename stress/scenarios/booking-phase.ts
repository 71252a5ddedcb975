import { runLoad } from "../load/run-load.js";
import type { PhaseResult } from "../report/types.js";
import type { BookingTraffic } from "./booking-traffic.js";
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
