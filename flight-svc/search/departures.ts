import type { FlightRecord } from "./flight-record.js";

/**
 * The departures of one airport as parallel typed arrays sorted by departure time (then id),
 * so the engine scans a connection window with one binary search and a tight loop.
 * `byDst` lists, per destination, the positions of its flights in departure order: the last
 * leg of an itinerary is found without scanning the airport's other departures.
 */
export interface Departures {
  dep: Int32Array;
  arr: Int32Array;
  dst: Int32Array;
  price: Int32Array;
  slot: Int32Array;
  byDst: Map<number, Int32Array>;
  /** Per destination: the lowest price and shortest duration of any flight on the route. */
  routes: Map<number, { price: number; duration: number }>;
}

export const EMPTY_DEPARTURES: Departures = buildDepartures([]);

export function buildDepartures(flights: FlightRecord[]): Departures {
  const sorted = [...flights].sort((a, b) => a.dep - b.dep || a.id - b.id);
  const n = sorted.length;
  const d: Departures = {
    dep: new Int32Array(n),
    arr: new Int32Array(n),
    dst: new Int32Array(n),
    price: new Int32Array(n),
    slot: new Int32Array(n),
    byDst: new Map(),
    routes: new Map(),
  };
  const lists = new Map<number, number[]>();
  sorted.forEach((f, i) => {
    d.dep[i] = f.dep;
    d.arr[i] = f.arr;
    d.dst[i] = f.dst;
    d.price[i] = f.priceCents;
    d.slot[i] = f.slot;
    const list = lists.get(f.dst);
    if (list) list.push(i);
    else lists.set(f.dst, [i]);
    const route = d.routes.get(f.dst);
    const duration = f.arr - f.dep;
    if (!route) d.routes.set(f.dst, { price: f.priceCents, duration });
    else {
      route.price = Math.min(route.price, f.priceCents);
      route.duration = Math.min(route.duration, duration);
    }
  });
  for (const [dst, list] of lists) d.byDst.set(dst, Int32Array.from(list));
  return d;
}

/** First index i with values[i] >= x in a sorted array. */
export function lowerBound(values: Int32Array, x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index i with dep[positions[i]] >= x, for a list of positions in departure order. */
export function lowerBoundAt(positions: Int32Array, dep: Int32Array, x: number): number {
  let lo = 0;
  let hi = positions.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((dep[positions[mid] as number] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
