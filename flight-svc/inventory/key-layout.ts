import { keys } from "./keys.js";

/** The keys of one flight, in the order lua/init-probe.lua and lua/include/leg-keys.lua take them. */
export function flightKeys(id: number): [string, string, string, string, string] {
  return [
    keys.seatsAvailable(id),
    keys.seatsEpoch(id),
    keys.flightHolds(id),
    keys.flightReturns(id),
    keys.seatsInitLock(id),
  ];
}

/**
 * The keys every multi-leg script takes (lua/include/leg-keys.lua): the operation's record, the
 * expiry set, then each leg's flight keys. The count goes first, as ioredis expects when a
 * command declares no fixed number of keys.
 */
export function legKeys(opId: string, legs: number[]): [number, ...string[]] {
  const out = [keys.hold(opId), keys.holdExpiries(opId)];
  for (const id of legs) out.push(...flightKeys(id));
  return [out.length, ...out];
}
