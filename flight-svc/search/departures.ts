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

export const EMPTY_DEPARTURES: Departures = buildDepartures([]);

export function buildDepartures(flights: FlightRecord[]): Departures {
  const sorted = [...flights].sort((a, b) => a.dep - b.dep || a.id - b.id);
  const n = sorted.length;
  const byDst = new Map<number, number[]>();
  sorted.forEach((f, i) => {
    const list = byDst.get(f.dst);
    if (list) list.push(i);
    else byDst.set(f.dst, [i]);
  });
  const routes = byDst.size;
  const d: Departures = {
    dep: new Int32Array(n),
    arr: new Int32Array(n),
    price: new Int32Array(n),
    slot: new Int32Array(n),
    routeDst: new Int32Array(routes),
    routePrice: new Int32Array(routes),
    routeDuration: new Int32Array(routes),
    routeStart: new Int32Array(routes + 1),
    routePos: new Int32Array(n),
    routeTo: new Map(),
  };
  sorted.forEach((f, i) => {
    d.dep[i] = f.dep;
    d.arr[i] = f.arr;
    d.price[i] = f.priceCents;
    d.slot[i] = f.slot;
  });
  let r = 0;
  let at = 0;
  for (const [dst, positions] of byDst) {
    d.routeDst[r] = dst;
    d.routeTo.set(dst, r);
    d.routeStart[r] = at;
    let price = Number.MAX_SAFE_INTEGER;
    let duration = Number.MAX_SAFE_INTEGER;
    for (const i of positions) {
      const f = sorted[i] as FlightRecord;
      price = Math.min(price, f.priceCents);
      duration = Math.min(duration, f.arr - f.dep);
      d.routePos[at++] = i;
    }
    d.routePrice[r] = price;
    d.routeDuration[r] = duration;
    r++;
  }
  d.routeStart[routes] = at;
  return d;
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
