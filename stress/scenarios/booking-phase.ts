import { type LoadTarget, runLoad } from "../load/run-load.js";
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
  return targetPhase(env, opts, [bookingTarget(env, opts.connections, traffic)], name, share);
}

/** One load phase of targets side by side, for the scenario's duration (or request count) times `share`. */
export function targetPhase(
  env: ScenarioEnv,
  opts: ScenarioOptions,
  targets: LoadTarget[],
  name: string,
  share = 1,
): Promise<PhaseResult> {
  return runLoad(
    {
      name,
      targets,
      durationSeconds: Math.max(1, Math.round(opts.durationSeconds * share)),
      ...(opts.requests ? { amount: Math.max(1, Math.round(opts.requests * share)) } : {}),
      timeoutSeconds: env.timeoutSeconds,
    },
    env.progress,
  );
}

// Seats the payment scenarios plan for: more bookings per connection and second than this
// machine answers, so that they stay about payments and do not turn into sold-out 409s.
const BOOKINGS_PER_CONNECTION_SECOND = 60;
const MAX_SEATS = 2;
const SEATS_PER_FLIGHT = 1_000;
const MAX_FLIGHTS = 200;

/** How many empty 1000-seat direct flights hold the bookings of `opts` (besides the two-leg connection). */
export function roomyFlightCount(opts: ScenarioOptions): number {
  const bookings = opts.requests ?? opts.connections * opts.durationSeconds * BOOKINGS_PER_CONNECTION_SECOND;
  // Spread evenly over the itineraries, with the larger of the average and the upper seat count.
  return Math.min(MAX_FLIGHTS, Math.max(4, Math.ceil((bookings * MAX_SEATS) / SEATS_PER_FLIGHT)));
}

/**
 * Empty 1000-seat flights, enough for the load (`roomyFlightCount`), and plain booking traffic
 * over them: the payment scenarios' setup, where seats never run out.
 */
export async function roomyBookingTraffic(env: ScenarioEnv, opts: ScenarioOptions) {
  const net = await createNetwork(env, roomyFlightCount(opts), SEATS_PER_FLIGHT, SEATS_PER_FLIGHT);
  const traffic = new BookingTraffic(env.rng, env.customers, net.itineraries, env.tag, {
    maxSeats: MAX_SEATS,
    retryShare: 0,
    collectConfirmed: false,
  });
  return { net, traffic };
}
