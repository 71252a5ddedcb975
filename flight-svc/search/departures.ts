import { mergeDepartures } from "./departures-change.js";
import type { FlightRecord } from "./flight-record.js";

/**
 * The departures of one airport as parallel typed arrays sorted by departure time (then id),
 * grouped by route: route r flies to `routeDst[r]`, and `routePos[routeStart[r] ..
 * routeStart[r+1])` are the positions of its flights in departure order. The engine walks an
 * airport route by route, so a route that cannot lead anywhere useful is skipped whole, and a
 * route's connection window is found with one binary search.
 */
export interface Departures {
  dep: Int32Array;
  arr: Int32Array;
  price: Int32Array;
  slot: Int32Array;
  routeDst: Int32Array;
  /** Lowest price and shortest duration of any flight on the route (on any day). */
  routePrice: Int32Array;
  routeDuration: Int32Array;
  routeStart: Int32Array;
  routePos: Int32Array;
  /** Destination airport → route number. */
  routeTo: Map<number, number>;
}

export const EMPTY_DEPARTURES: Departures = {
  dep: new Int32Array(0),
  arr: new Int32Array(0),
  price: new Int32Array(0),
  slot: new Int32Array(0),
  routeDst: new Int32Array(0),
  routePrice: new Int32Array(0),
  routeDuration: new Int32Array(0),
  routeStart: new Int32Array(1),
  routePos: new Int32Array(0),
  routeTo: new Map(),
};

const NOTHING_DROPPED = new Uint8Array(0);

export function buildDepartures(flights: readonly FlightRecord[]): Departures {
  return mergeDepartures(EMPTY_DEPARTURES, NOTHING_DROPPED, flights, []);
}

/** First k in [lo, hi) with dep[pos[k]] >= x, for positions in departure order. */
export function lowerBoundAt(pos: Int32Array, dep: Int32Array, lo: number, hi: number, x: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((dep[pos[mid] as number] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
