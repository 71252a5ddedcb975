import { Bounds, UNREACHABLE } from "./bounds.js";
import { type Departures, lowerBoundAt } from "./departures.js";
import { DAY_MINUTES, type FlightRecord } from "./flight-record.js";
import { COMPARATORS, type Itinerary, type SortBy } from "./itinerary.js";
import type { ScheduleIndex } from "./schedule-index.js";
import { TopN } from "./top-n.js";

export interface EngineRules {
  minConnectionMinutes: number;
  maxLayoverMinutes: number;
}

export interface EngineQuery {
  source: string;
  destination: string;
  /** Minutes since the epoch of 00:00 UTC of the date the first leg departs on. */
  dayStart: number;
  maxStops: number;
  /** How many itineraries to keep per sort. */
  candidates: number;
  sorts: readonly SortBy[];
  /** Flights (by slot) that must not appear, e.g. sold out ones. */
  excluded?: ReadonlySet<number>;
}

export interface EngineResult {
  /** Best `candidates` itineraries per requested sort, best first. */
  lists: Partial<Record<SortBy, Itinerary[]>>;
  /** True when the lists hold every valid itinerary (there were at most `candidates`). */
  complete: boolean;
  /** Valid itineraries the search reached (most in one pass), and cuts by the bounds (all passes). */
  found: number;
  pruned: number;
}

const MAX_LEGS = 4;

/**
 * Exact best-N itineraries by branch and bound. Rounds of 1, 2, … legs (fewer legs first, so
 * good itineraries set the bar early) walk depth-first from the source, route by route, through
 * each airport's connection window. A route or a partial itinerary is cut when, with the lower
 * bounds of the remaining legs added, it can no longer enter the best N kept so far; airports
 * from which the destination cannot be reached with the legs left are never entered.
 */
export class SearchEngine {
  private readonly bounds = new Bounds();
  private readonly pathSlots = new Int32Array(MAX_LEGS);
  private readonly pathAirports = new Int32Array(MAX_LEGS + 1);
  // Per-run state, set by search().
  private heap = new TopN<Itinerary>(1, COMPARATORS.cheapest);
  private byPrice = true;
  private excluded: ReadonlySet<number> | null = null;
  private destination = 0;
  private legs = 0;
  /** Airports with a route to the destination. */
  private lastHops: Int32Array = new Int32Array(0);
  private found = 0;
  private pruned = 0;

  constructor(
    readonly index: ScheduleIndex,
    private readonly rules: EngineRules,
  ) {}

  search(q: EngineQuery): EngineResult {
    const graph = this.index.prepare();
    const src = this.index.airportId(q.source);
    const dst = this.index.airportId(q.destination);
    const maxLegs = Math.min(q.maxStops + 1, MAX_LEGS);
    const routable = src !== undefined && dst !== undefined && src !== dst;
    if (routable) {
      this.destination = dst;
      this.bounds.compute(graph, dst, maxLegs - 1, this.rules.minConnectionMinutes);
      this.lastHops = graph.inSrc.subarray(graph.inStart[dst], graph.inStart[dst + 1]);
      this.pathAirports[0] = src;
    }
    this.excluded = q.excluded && q.excluded.size > 0 ? q.excluded : null;
    const result: EngineResult = { lists: {}, complete: true, found: 0, pruned: 0 };
    // One pass per sort: each prunes with its own bar, which cuts far more than one pass
    // keeping both would (that one may only cut what neither sort could keep).
    for (const sort of q.sorts) {
      this.heap = new TopN<Itinerary>(q.candidates, COMPARATORS[sort]);
      this.byPrice = sort === "cheapest";
      this.found = 0;
      this.pruned = 0;
      for (let legs = 1; routable && legs <= maxLegs; legs++) {
        this.legs = legs;
        this.extend(src, 0, q.dayStart, q.dayStart + DAY_MINUTES - 1, 0, 0);
      }
      result.lists[sort] = this.heap.sorted();
      result.complete &&= this.pruned === 0 && this.found <= q.candidates;
      result.found = Math.max(result.found, this.found);
      result.pruned += this.pruned;
    }
    this.excluded = null;
    return result;
  }

  /**
   * Extends a partial itinerary standing at `airport` after `depth` legs, whose next leg may
   * depart from `from` to `to` (minutes); `price` so far, `start` = first departure.
   */
  private extend(airport: number, depth: number, from: number, to: number, price: number, start: number): void {
    const d = this.index.departuresOf(airport);
    const left = this.legs - depth - 1;
    if (left === 0) {
      const r = d.routeTo.get(this.destination);
      if (r !== undefined) this.fly(d, r, depth, from, to, price, start, 0);
      return;
    }
    const boundP = this.bounds.price[left] as Int32Array;
    const { routeDst } = d;
    // One leg before the last: only routes to airports with a route to the destination
    // matter; walk whichever list is shorter.
    const hops = this.lastHops;
    if (left === 1 && hops.length < routeDst.length) {
      for (let k = 0; k < hops.length; k++) {
        const r = d.routeTo.get(hops[k] as number);
        if (r !== undefined) this.fly(d, r, depth, from, to, price, start, left);
      }
      return;
    }
    for (let r = 0; r < routeDst.length; r++) {
      if (boundP[routeDst[r] as number] !== UNREACHABLE) this.fly(d, r, depth, from, to, price, start, left);
    }
  }

  /** The flights of route `r` inside the window, each completing or extending the itinerary. */
  private fly(
    d: Departures,
    r: number,
    depth: number,
    from: number,
    to: number,
    price: number,
    start: number,
    left: number,
  ): void {
    const next = d.routeDst[r] as number;
    if (this.visited(next, depth)) return;
    const minC = this.rules.minConnectionMinutes;
    const bp = (this.bounds.price[left] as Int32Array)[next] as number;
    // Connections after this leg, then the bound of the legs after it.
    const bt = left === 0 ? 0 : minC + ((this.bounds.time[left] as Int32Array)[next] as number);
    const elapsed = depth === 0 ? 0 : from - start;
    if (!this.mayEnter(price + (d.routePrice[r] as number) + bp, elapsed + (d.routeDuration[r] as number) + bt)) {
      this.pruned++;
      return;
    }
    const { dep, arr, price: prices, slot, routePos } = d;
    const end = d.routeStart[r + 1] as number;
    for (let k = lowerBoundAt(routePos, dep, d.routeStart[r] as number, end, from); k < end; k++) {
      const i = routePos[k] as number;
      if ((dep[i] as number) > to) break;
      if (this.excluded?.has(slot[i] as number)) continue;
      const p = price + (prices[i] as number);
      const s = depth === 0 ? (dep[i] as number) : start;
      const a = arr[i] as number;
      if (left === 0) {
        this.found++;
        if (this.mayEnter(p, a - s)) this.keep(depth, slot[i] as number, p, a - s, s);
        continue;
      }
      if (!this.mayEnter(p + bp, a - s + bt)) {
        this.pruned++;
        continue;
      }
      this.pathSlots[depth] = slot[i] as number;
      this.pathAirports[depth + 1] = next;
      this.extend(next, depth + 1, a + minC, a + this.rules.maxLayoverMinutes, p, s);
    }
  }

  private keep(depth: number, lastSlot: number, price: number, duration: number, departure: number): void {
    const legs: FlightRecord[] = [];
    for (let j = 0; j < depth; j++) legs.push(this.index.flightAt(this.pathSlots[j] as number));
    legs.push(this.index.flightAt(lastSlot));
    const itinerary: Itinerary = { legs, price, duration, departure };
    this.heap.offer(itinerary);
  }

  private visited(airport: number, depth: number): boolean {
    for (let j = 0; j <= depth; j++) if (this.pathAirports[j] === airport) return true;
    return false;
  }

  /**
   * Could an itinerary costing at least `price` and lasting at least `duration` still be
   * kept? Equal keys may still win on the next tie-breaker, so only a strictly worse pair
   * is refused.
   */
  private mayEnter(price: number, duration: number): boolean {
    const h = this.heap;
    if (!h.full) return true;
    const w = h.worst as Itinerary;
    return this.byPrice
      ? price < w.price || (price === w.price && duration <= w.duration)
      : duration < w.duration || (duration === w.duration && price <= w.price);
  }
}
