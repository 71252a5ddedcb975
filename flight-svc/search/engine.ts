import { Bounds, UNREACHABLE } from "./bounds.js";
import { type Departures, lowerBound, lowerBoundAt } from "./departures.js";
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
  /** Valid itineraries the search reached, and partial ones it cut off by the bounds. */
  found: number;
  pruned: number;
}

const MAX_LEGS = 4;

/**
 * Exact best-N itineraries by branch and bound. Rounds of 1, 2, … legs (fewer legs first, so
 * good itineraries set the bar early) walk depth-first from the source through each airport's
 * connection window. A partial itinerary is cut when, with the lower bounds of the remaining
 * legs added, it can no longer enter the kept best N of any requested sort; airports from which
 * the destination cannot be reached with the legs left are never entered.
 */
export class SearchEngine {
  private readonly bounds = new Bounds();
  private readonly pathSlots = new Int32Array(MAX_LEGS);
  private readonly pathAirports = new Int32Array(MAX_LEGS + 1);
  // Per-run state, set by search().
  private heaps: TopN<Itinerary>[] = [];
  private cheap: TopN<Itinerary> | null = null;
  private fast: TopN<Itinerary> | null = null;
  private excluded: ReadonlySet<number> | null = null;
  private destination = 0;
  private legs = 0;
  private found = 0;
  private pruned = 0;

  constructor(
    private readonly index: ScheduleIndex,
    private readonly rules: EngineRules,
  ) {}

  search(q: EngineQuery): EngineResult {
    const graph = this.index.prepare();
    const src = this.index.airportId(q.source);
    const dst = this.index.airportId(q.destination);
    this.heaps = q.sorts.map((s) => new TopN<Itinerary>(q.candidates, COMPARATORS[s]));
    this.cheap = q.sorts.includes("cheapest") ? (this.heaps[q.sorts.indexOf("cheapest")] as TopN<Itinerary>) : null;
    this.fast = q.sorts.includes("fastest") ? (this.heaps[q.sorts.indexOf("fastest")] as TopN<Itinerary>) : null;
    this.excluded = q.excluded && q.excluded.size > 0 ? q.excluded : null;
    this.found = 0;
    this.pruned = 0;
    const maxLegs = Math.min(q.maxStops + 1, MAX_LEGS);
    if (src !== undefined && dst !== undefined && src !== dst && q.sorts.length > 0) {
      this.destination = dst;
      this.bounds.compute(graph, dst, maxLegs - 1, this.rules.minConnectionMinutes);
      this.pathAirports[0] = src;
      for (let legs = 1; legs <= maxLegs; legs++) {
        this.legs = legs;
        this.extend(src, 0, q.dayStart, q.dayStart + DAY_MINUTES - 1, 0, 0);
      }
    }
    const lists: Partial<Record<SortBy, Itinerary[]>> = {};
    q.sorts.forEach((s, i) => {
      lists[s] = (this.heaps[i] as TopN<Itinerary>).sorted();
    });
    this.heaps = [];
    this.excluded = null;
    return {
      lists,
      complete: this.pruned === 0 && this.found <= q.candidates,
      found: this.found,
      pruned: this.pruned,
    };
  }

  /**
   * Extends a partial itinerary standing at `airport` after `depth` legs, whose next leg may
   * depart from `from` to `to` (minutes); `price` so far, `start` = first departure.
   */
  private extend(airport: number, depth: number, from: number, to: number, price: number, start: number): void {
    const d = this.index.departuresOf(airport);
    const left = this.legs - depth - 1;
    if (left === 0) {
      this.finish(d, depth, from, to, price, start);
      return;
    }
    const boundP = this.bounds.price[left] as Int32Array;
    const boundT = this.bounds.time[left] as Int32Array;
    const { dep, arr, dst, price: prices, slot } = d;
    const { minConnectionMinutes: minC, maxLayoverMinutes: maxL } = this.rules;
    for (let i = lowerBound(dep, from); i < dep.length && (dep[i] as number) <= to; i++) {
      const next = dst[i] as number;
      const bp = boundP[next] as number;
      if (bp === UNREACHABLE || this.visited(next, depth)) continue;
      if (this.excluded?.has(slot[i] as number)) continue;
      const p = price + (prices[i] as number);
      const s = depth === 0 ? (dep[i] as number) : start;
      const a = arr[i] as number;
      // Arrival so far, the connection at `next`, then the bound of the legs left.
      if (!this.mayEnter(p + bp, a - s + minC + (boundT[next] as number))) {
        this.pruned++;
        continue;
      }
      this.pathSlots[depth] = slot[i] as number;
      this.pathAirports[depth + 1] = next;
      this.extend(next, depth + 1, a + minC, a + maxL, p, s);
    }
  }

  /** The last leg: flights from `airport` straight to the destination inside the window. */
  private finish(d: Departures, depth: number, from: number, to: number, price: number, start: number): void {
    const positions = d.byDst.get(this.destination);
    if (!positions) return;
    const { dep, arr, price: prices, slot } = d;
    for (let k = lowerBoundAt(positions, dep, from); k < positions.length; k++) {
      const i = positions[k] as number;
      if ((dep[i] as number) > to) break;
      if (this.excluded?.has(slot[i] as number)) continue;
      const s = depth === 0 ? (dep[i] as number) : start;
      const p = price + (prices[i] as number);
      const duration = (arr[i] as number) - s;
      this.found++;
      if (!this.mayEnter(p, duration)) continue;
      const legs: FlightRecord[] = [];
      for (let j = 0; j < depth; j++) legs.push(this.index.flightAt(this.pathSlots[j] as number));
      legs.push(this.index.flightAt(slot[i] as number));
      const itinerary: Itinerary = { legs, price: p, duration, departure: s };
      for (const h of this.heaps) h.offer(itinerary);
    }
  }

  private visited(airport: number, depth: number): boolean {
    for (let j = 0; j <= depth; j++) if (this.pathAirports[j] === airport) return true;
    return false;
  }

  /**
   * Could an itinerary costing at least `price` and lasting at least `duration` still be
   * kept by some sort? Equal keys may still win on the next tie-breaker, so only a strictly
   * worse pair is refused.
   */
  private mayEnter(price: number, duration: number): boolean {
    const c = this.cheap;
    if (c && !c.full) return true;
    const f = this.fast;
    if (f && !f.full) return true;
    if (c) {
      const w = c.worst as Itinerary;
      if (price < w.price || (price === w.price && duration <= w.duration)) return true;
    }
    if (f) {
      const w = f.worst as Itinerary;
      if (duration < w.duration || (duration === w.duration && price <= w.price)) return true;
    }
    return false;
  }
}
