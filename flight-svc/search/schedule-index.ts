import { buildDepartures, type Departures, EMPTY_DEPARTURES } from "./departures.js";
import type { FlightRecord } from "./flight-record.js";
import { buildRouteGraph, type RouteGraph } from "./route-graph.js";

/** What an upsert changed: `structural` when itineraries or their order may differ. */
export interface UpsertResult {
  record: FlightRecord;
  structural: boolean;
}

export type FlightInput = Omit<FlightRecord, "slot" | "src" | "dst" | "json">;

/**
 * The in-memory timetable: every flight by id, and the departures of each airport sorted by
 * time. Cancelled flights stay known by id but leave the departure tables. Changes mark the
 * airports they touch; their tables (and the route graph) are rebuilt before the next search,
 * so a burst of changes costs one rebuild.
 */
export class ScheduleIndex {
  private readonly codes: string[] = [];
  private readonly airportIds = new Map<string, number>();
  private readonly slots: FlightRecord[] = [];
  private readonly byId = new Map<number, FlightRecord>();
  private departures: Departures[] = [];
  /** Listed (not cancelled) flights leaving each airport. */
  private readonly outgoing: Set<FlightRecord>[] = [];
  private readonly dirty = new Set<number>();
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
      this.list(record);
      return { record, structural: record.status !== "cancelled" };
    }
    const wasListed = old.status !== "cancelled";
    const structural =
      old.src !== src ||
      old.dst !== dst ||
      old.dep !== input.dep ||
      old.arr !== input.arr ||
      old.priceCents !== input.priceCents ||
      wasListed !== (input.status !== "cancelled");
    // Numbers and airline show in results too, but do not change which itineraries exist.
    if (structural) this.unlist(old);
    Object.assign(old, input, { src, dst, json: null });
    if (structural) this.list(old);
    return { record: old, structural };
  }

  /** Departure tables of one airport, current as of the last `prepare`. */
  departuresOf(airport: number): Departures {
    return this.departures[airport] ?? EMPTY_DEPARTURES;
  }

  /** Rebuilds what changes made stale; every search calls it first (cheap when nothing changed). */
  prepare(): RouteGraph {
    if (this.dirty.size > 0) {
      while (this.departures.length < this.codes.length) this.departures.push(EMPTY_DEPARTURES);
      for (const a of this.dirty) this.departures[a] = buildDepartures([...(this.outgoing[a] ?? [])]);
      this.dirty.clear();
      this.graph = null;
    }
    if (!this.graph || this.graph.airports !== this.codes.length) {
      while (this.departures.length < this.codes.length) this.departures.push(EMPTY_DEPARTURES);
      this.graph = buildRouteGraph(this.departures);
    }
    return this.graph;
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

  private list(f: FlightRecord): void {
    if (f.status === "cancelled") return;
    let set = this.outgoing[f.src];
    if (!set) {
      set = new Set();
      this.outgoing[f.src] = set;
    }
    set.add(f);
    this.dirty.add(f.src);
  }

  private unlist(f: FlightRecord): void {
    if (this.outgoing[f.src]?.delete(f)) this.dirty.add(f.src);
  }
}
