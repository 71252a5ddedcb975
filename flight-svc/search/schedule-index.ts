import { buildDepartures, type Departures, EMPTY_DEPARTURES } from "./departures.js";
import { mergeDepartures, sameRoutes, setPrice } from "./departures-change.js";
import type { FlightRecord } from "./flight-record.js";
import { buildRouteGraph, type RouteGraph, updateRouteGraph } from "./route-graph.js";

/** What an upsert changed: `structural` when itineraries or their order may differ. */
export interface UpsertResult {
  record: FlightRecord;
  structural: boolean;
}

export type FlightInput = Omit<FlightRecord, "slot" | "src" | "dst" | "json">;

/**
 * The in-memory timetable: every flight by id, and the departures of each airport sorted by
 * time. Cancelled flights stay known by id but leave the departure tables. Changes are collected
 * by the airports they touch and applied before the next search, so a burst of changes costs
 * one pass: a table merges in its few moved flights (no sort of the whole table), a price alone
 * is set in place, and the route graph is rebuilt only when an airport gains or loses a route.
 */
export class ScheduleIndex {
  private readonly codes: string[] = [];
  private readonly airportIds = new Map<string, number>();
  private readonly slots: FlightRecord[] = [];
  private readonly byId = new Map<number, FlightRecord>();
  private departures: Departures[] = [];
  /** By airport, flights that may have entered, left or moved in its table since the last prepare. */
  private readonly moved = new Map<number, Set<FlightRecord>>();
  /** By airport, listed flights whose price alone changed since the last prepare. */
  private readonly repriced = new Map<number, Set<FlightRecord>>();
  /** By slot, the flights a merge drops from a table; all clear between merges. */
  private dropped = new Uint8Array(0);
  private graph: RouteGraph | null = null;

  get size(): number {
    return this.byId.size;
  }

  get airportCount(): number {
    return this.codes.length;
  }

  airportId(code: string): number | undefined {
    return this.airportIds.get(code);
  }

  airportCode(id: number): string {
    return this.codes[id] as string;
  }

  flight(id: number): FlightRecord | undefined {
    return this.byId.get(id);
  }

  flightAt(slot: number): FlightRecord {
    return this.slots[slot] as FlightRecord;
  }

  /** Adds a flight or replaces the one with the same id. */
  upsert(input: FlightInput): UpsertResult {
    const src = this.intern(input.source);
    const dst = this.intern(input.destination);
    const old = this.byId.get(input.id);
    if (!old) {
      // Spelled out, not spread: spreading is many times slower, and a load makes 100,000s.
      const record: FlightRecord = {
        slot: this.slots.length,
        id: input.id,
        flightNumber: input.flightNumber,
        airline: input.airline,
        source: input.source,
        destination: input.destination,
        src,
        dst,
        dep: input.dep,
        arr: input.arr,
        priceCents: input.priceCents,
        totalSeats: input.totalSeats,
        bookedSeats: input.bookedSeats,
        status: input.status,
        json: null,
      };
      this.slots.push(record);
      this.byId.set(record.id, record);
      if (record.status !== "cancelled") note(this.moved, src, record);
      return { record, structural: record.status !== "cancelled" };
    }
    const wasListed = old.status !== "cancelled";
    const listed = input.status !== "cancelled";
    const placed =
      old.src !== src || old.dst !== dst || old.dep !== input.dep || old.arr !== input.arr || wasListed !== listed;
    const repriced = old.priceCents !== input.priceCents;
    // Numbers and airline show in results too, but do not change which itineraries exist.
    if (placed && wasListed) note(this.moved, old.src, old);
    Object.assign(old, input, { src, dst, json: null });
    if (placed && listed) note(this.moved, src, old);
    else if (!placed && repriced && listed) note(this.repriced, src, old);
    return { record: old, structural: placed || repriced };
  }

  /** Departure tables of one airport, current as of the last `prepare`. */
  departuresOf(airport: number): Departures {
    return this.departures[airport] ?? EMPTY_DEPARTURES;
  }

  /** Applies the changes since the last call; every search calls it first (cheap when nothing changed). */
  prepare(): RouteGraph {
    const graphFits = this.graph?.airports === this.codes.length;
    if (graphFits && this.moved.size === 0 && this.repriced.size === 0) return this.graph as RouteGraph;
    while (this.departures.length < this.codes.length) this.departures.push(EMPTY_DEPARTURES);
    let routesChanged = false;
    const changed: number[] = [];
    for (const [a, flights] of this.repriced) {
      const d = this.departures[a] as Departures;
      // A table merged anyway takes the new prices along. A flight not found where it was
      // listed (not expected) is merged too, rather than another flight priced.
      const merged = this.moved.has(a);
      for (const f of flights) if (merged || !setPrice(d, f)) note(this.moved, a, f);
      if (!this.moved.has(a)) changed.push(a);
    }
    this.repriced.clear();
    for (const [a, flights] of this.moved) {
      const old = this.departures[a] as Departures;
      const next = this.merge(a, old, flights);
      this.departures[a] = next;
      if (sameRoutes(old, next)) changed.push(a);
      else routesChanged = true;
    }
    this.moved.clear();
    if (!this.graph || !graphFits || routesChanged) {
      this.graph = buildRouteGraph(this.departures);
    } else {
      for (const a of changed) updateRouteGraph(this.graph, a, this.departures[a] as Departures);
    }
    return this.graph;
  }

  private merge(a: number, old: Departures, flights: Set<FlightRecord>): Departures {
    const added: FlightRecord[] = [];
    for (const f of flights) if (f.src === a && f.status !== "cancelled") added.push(f);
    if (old.dep.length === 0) return buildDepartures(added);
    if (this.dropped.length < this.slots.length) this.dropped = new Uint8Array(this.slots.length * 2);
    for (const f of flights) this.dropped[f.slot] = 1;
    const next = mergeDepartures(old, this.dropped, added, this.slots);
    for (const f of flights) this.dropped[f.slot] = 0;
    return next;
  }

  private intern(code: string): number {
    let id = this.airportIds.get(code);
    if (id === undefined) {
      id = this.codes.length;
      this.codes.push(code);
      this.airportIds.set(code, id);
    }
    return id;
  }
}

function note(byAirport: Map<number, Set<FlightRecord>>, airport: number, f: FlightRecord): void {
  let set = byAirport.get(airport);
  if (!set) {
    set = new Set();
    byAirport.set(airport, set);
  }
  set.add(f);
}
