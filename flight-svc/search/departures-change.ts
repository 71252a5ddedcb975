import type { Departures } from "./departures.js";
import type { FlightRecord } from "./flight-record.js";

// Changes to a departure table that cost no sort of the whole table: a merge of the few changed
// flights into it, or a price set in place.

/**
 * `old` without the flights whose slots are marked in `drop`, with `added` put in: only the
 * added flights are sorted, then a merge and the grouping by route are linear passes over typed
 * arrays, so a few changes at a large airport cost no sort of its whole table. The result
 * is exactly what `buildDepartures` of the same flights gives. `records` (by slot) breaks ties
 * of departure time between kept and added flights by id.
 */
export function mergeDepartures(
  old: Departures,
  drop: Uint8Array,
  added: readonly FlightRecord[],
  records: readonly FlightRecord[],
): Departures {
  const sorted = [...added].sort((a, b) => a.dep - b.dep || a.id - b.id);
  const { dep: oldDep, arr: oldArr, price: oldPrice, slot: oldSlot } = old;
  const oldDst = destinations(old);
  const oldN = oldSlot.length;
  let kept = 0;
  for (let i = 0; i < oldN; i++) if (drop[oldSlot[i] as number] !== 1) kept++;
  const n = kept + sorted.length;
  const dep = new Int32Array(n);
  const arr = new Int32Array(n);
  const price = new Int32Array(n);
  const slot = new Int32Array(n);
  const dst = new Int32Array(n);
  let at = 0;
  let j = 0;
  const put = (f: FlightRecord) => {
    dep[at] = f.dep;
    arr[at] = f.arr;
    price[at] = f.priceCents;
    slot[at] = f.slot;
    dst[at] = f.dst;
    at++;
  };
  // The next added flight's departure; beyond the last, one no flight reaches.
  let nextDep = sorted.length > 0 ? (sorted[0] as FlightRecord).dep : Number.POSITIVE_INFINITY;
  for (let i = 0; i < oldN; i++) {
    const s = oldSlot[i] as number;
    if (drop[s] === 1) continue;
    const d = oldDep[i] as number;
    while (nextDep <= d) {
      const f = sorted[j] as FlightRecord;
      if (f.dep === d && f.id > (records[s] as FlightRecord).id) break;
      put(f);
      j++;
      nextDep = j < sorted.length ? (sorted[j] as FlightRecord).dep : Number.POSITIVE_INFINITY;
    }
    dep[at] = d;
    arr[at] = oldArr[i] as number;
    price[at] = oldPrice[i] as number;
    slot[at] = s;
    dst[at] = oldDst[i] as number;
    at++;
  }
  for (; j < sorted.length; j++) put(sorted[j] as FlightRecord);
  return { dep, arr, price, slot, ...groupByRoute(dep, arr, price, dst) };
}

/** The destination of each flight of a table, from its routes. */
function destinations(d: Departures): Int32Array {
  const dst = new Int32Array(d.dep.length);
  for (let r = 0; r < d.routeDst.length; r++) {
    const end = d.routeStart[r + 1] as number;
    for (let k = d.routeStart[r] as number; k < end; k++) dst[d.routePos[k] as number] = d.routeDst[r] as number;
  }
  return dst;
}

/** Routes numbered in order of their first departure, each with its flights in departure order. */
function groupByRoute(
  dep: Int32Array,
  arr: Int32Array,
  price: Int32Array,
  dst: Int32Array,
): Omit<Departures, "dep" | "arr" | "price" | "slot"> {
  const n = dep.length;
  let airports = 0;
  for (let i = 0; i < n; i++) airports = Math.max(airports, (dst[i] as number) + 1);
  const routeOf = new Int32Array(airports).fill(-1);
  const route = new Int32Array(n);
  const maxRoutes = Math.min(n, airports);
  const dstOf = new Int32Array(maxRoutes);
  const count = new Int32Array(maxRoutes + 1);
  const minPrice = new Int32Array(maxRoutes);
  const minDuration = new Int32Array(maxRoutes);
  let routes = 0;
  for (let i = 0; i < n; i++) {
    const to = dst[i] as number;
    const p = price[i] as number;
    const duration = (arr[i] as number) - (dep[i] as number);
    let r = routeOf[to] as number;
    if (r < 0) {
      r = routes++;
      routeOf[to] = r;
      dstOf[r] = to;
      minPrice[r] = p;
      minDuration[r] = duration;
    } else {
      if (p < (minPrice[r] as number)) minPrice[r] = p;
      if (duration < (minDuration[r] as number)) minDuration[r] = duration;
    }
    route[i] = r;
    count[r + 1] = (count[r + 1] as number) + 1;
  }
  const routeStart = new Int32Array(routes + 1);
  for (let r = 0; r < routes; r++) routeStart[r + 1] = (routeStart[r] as number) + (count[r + 1] as number);
  const fill = routeStart.slice(0, routes);
  const routePos = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = route[i] as number;
    routePos[fill[r] as number] = i;
    fill[r] = (fill[r] as number) + 1;
  }
  const routeDst = dstOf.slice(0, routes);
  const routeTo = new Map<number, number>();
  routeDst.forEach((to, r) => {
    routeTo.set(to, r);
  });
  return {
    routeDst,
    routePrice: minPrice.slice(0, routes),
    routeDuration: minDuration.slice(0, routes),
    routeStart,
    routePos,
    routeTo,
  };
}

/** Whether two tables fly to the same airports (their routes may be numbered differently). */
export function sameRoutes(a: Departures, b: Departures): boolean {
  if (a.routeDst.length !== b.routeDst.length) return false;
  for (const to of b.routeDst) if (!a.routeTo.has(to)) return false;
  return true;
}

/**
 * Sets the price of flight `f` in the table and its route's lowest price: the order does not
 * change, so nothing is rebuilt. False when `f` is not in the table at its departure time.
 */
export function setPrice(d: Departures, f: FlightRecord): boolean {
  let i = lowerBound(d.dep, f.dep);
  while (i < d.slot.length && d.dep[i] === f.dep && d.slot[i] !== f.slot) i++;
  if (d.slot[i] !== f.slot || d.dep[i] !== f.dep) return false;
  const price = f.priceCents;
  const was = d.price[i] as number;
  d.price[i] = price;
  const r = d.routeTo.get(f.dst) as number;
  const lowest = d.routePrice[r] as number;
  if (price < lowest) d.routePrice[r] = price;
  else if (was === lowest && price > was) {
    let min = price;
    const end = d.routeStart[r + 1] as number;
    for (let k = d.routeStart[r] as number; k < end; k++)
      min = Math.min(min, d.price[d.routePos[k] as number] as number);
    d.routePrice[r] = min;
  }
  return true;
}

function lowerBound(dep: Int32Array, x: number): number {
  let lo = 0;
  let hi = dep.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((dep[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
