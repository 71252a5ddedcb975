import type { RedisClient } from "../../lib/redis-plugin.js";
import { TurnReads } from "../../lib/turn-reads.js";
import { CandidateCache, type CandidateCacheOptions } from "./candidate-cache.js";
import { decodeCandidates, encodeCandidates } from "./codec.js";
import { type EngineQuery, type EngineRules, SearchEngine } from "./engine.js";
import { SORTS, type SortBy } from "./itinerary.js";
import { keys } from "./keys.js";
import { type Counter, emptyCounters, type SearchMetrics } from "./metrics.js";
import type { ScheduleIndex } from "./schedule-index.js";
import { type AvailabilityReader, type CandidateSet, type Selection, selectItineraries } from "./select.js";
import type { Timetable } from "./timetable.js";

/** Itineraries kept per sort in a cached set: the largest limit plus room for sold-out ones. */
export const CANDIDATES = 150;

export interface SearchServiceOptions {
  redis: RedisClient;
  seats: AvailabilityReader;
  rules: EngineRules;
  cache: Pick<CandidateCacheOptions, "lruSize" | "ttlSeconds"> & Partial<CandidateCacheOptions>;
  timetable: Timetable;
}

export interface SearchParams {
  source: string;
  destination: string;
  /** YYYY-MM-DD, already checked to be a calendar date. */
  date: string;
  dayStart: number;
  seats: number;
  sortBy: SortBy;
  maxStops: number;
  limit: number;
}

/**
 * The search of flight-svc: the engine over the timetable, the two-level candidate cache keyed
 * by the timetable's schedule version, and live seats applied last. The timetable (its own
 * module) keeps the flights current; this class only reads it.
 */
export class SearchService {
  private readonly timetable: Timetable;
  private engine: SearchEngine | null = null;
  private readonly cache: CandidateCache;
  private readonly counters = emptyCounters();
  /** Time spent in the engine (runs and reruns), for /metrics beside the run counts. */
  private engineSeconds = 0;
  /** Seat reads of concurrent searches merged into one per turn of the event loop. */
  private readonly seats: TurnReads<number | null>;

  constructor(private readonly opts: SearchServiceOptions) {
    const count = (c: Counter) => this.count(c);
    this.timetable = opts.timetable;
    this.seats = new TurnReads(opts.seats, () => count("seat_reads"));
    this.cache = new CandidateCache(opts.redis, { lockMs: 2_000, waitMs: 1_000, pollMs: 5, ...opts.cache }, count);
    this.timetable.onInvalidate(() => this.cache.clear());
  }

  /** The best `limit` itineraries with `seats` free on every leg, and those seat counts. */
  async search(p: SearchParams): Promise<Selection> {
    this.count("searches");
    const index = this.timetable.index;
    if (index.airportId(p.source) === undefined || index.airportId(p.destination) === undefined) {
      return { itineraries: [], available: new Map(), recomputed: 0 };
    }
    const engine = this.engineOf(index);
    const query = { source: p.source, destination: p.destination, dayStart: p.dayStart, maxStops: p.maxStops };
    const compute = () => this.computeCandidates(query);
    const version = this.timetable.version;
    const set =
      version === null
        ? compute()
        : await this.cache.get(keys.searchResult(version, p.source, p.destination, p.date, p.maxStops), {
            compute,
            encode: encodeCandidates,
            decode: (text) => decodeCandidates(text, index),
          });
    return selectItineraries({
      set,
      sort: p.sortBy,
      seats: p.seats,
      limit: p.limit,
      read: this.seats.read,
      recompute: (sort, excluded, candidates) => {
        this.count("engine_reruns");
        return this.timed(() => engine.search({ ...query, candidates, sorts: [sort], excluded }));
      },
    });
  }

  /** One cache miss' worth of work: the engine's best CANDIDATES per sort, no cache involved. */
  computeCandidates(q: Pick<EngineQuery, "source" | "destination" | "dayStart" | "maxStops">): CandidateSet {
    this.count("engine_runs");
    const engine = this.engineOf(this.timetable.index);
    const r = this.timed(() => engine.search({ ...q, candidates: CANDIDATES, sorts: SORTS }));
    return { complete: r.complete, lists: { cheapest: r.lists.cheapest ?? [], fastest: r.lists.fastest ?? [] } };
  }

  metrics(): SearchMetrics {
    return {
      ...this.counters,
      schedule_version: this.timetable.version ?? "pending",
      schedule_flights: this.timetable.index.size,
      schedule_refreshes: this.timetable.refreshes,
    };
  }

  /** Seconds the engine has run in this process. */
  engineTime(): number {
    return this.engineSeconds;
  }

  /** The engine of the index searched: a full read of the timetable replaces the index. */
  private engineOf(index: ScheduleIndex): SearchEngine {
    if (this.engine?.index !== index) this.engine = new SearchEngine(index, this.opts.rules);
    return this.engine;
  }

  private timed<T>(run: () => T): T {
    const start = performance.now();
    try {
      return run();
    } finally {
      this.engineSeconds += (performance.now() - start) / 1000;
    }
  }

  private count(c: Counter): void {
    this.counters[c]++;
  }
}
