import type { FastifyBaseLogger } from "fastify";
import type { Redis } from "ioredis";
import type { Sql } from "../../lib/postgres-plugin.js";
import { CandidateCache, type CandidateCacheOptions } from "./candidate-cache.js";
import { decodeCandidates, encodeCandidates } from "./codec.js";
import { type EngineQuery, type EngineRules, SearchEngine } from "./engine.js";
import type { FlightRow } from "./flight-record.js";
import { SORTS, type SortBy } from "./itinerary.js";
import { keys } from "./keys.js";
import { type Counter, emptyCounters, type SearchMetrics } from "./metrics.js";
import { ScheduleIndex } from "./schedule-index.js";
import { inputOf, readFlights } from "./schedule-store.js";
import { bumpScheduleVersion, readScheduleVersion } from "./schedule-version.js";
import { SeatReads } from "./seat-reads.js";
import { type AvailabilityReader, type CandidateSet, type Selection, selectItineraries } from "./select.js";

/** Itineraries kept per sort in a cached set: the largest limit plus room for sold-out ones. */
export const CANDIDATES = 150;
/** Rows changed this long before the last one seen are read again: commits land out of order. */
const REFRESH_OVERLAP_MS = 60_000;

export interface SearchServiceOptions {
  redis: Redis;
  sql: Sql;
  seats: AvailabilityReader;
  rules: EngineRules;
  cache: Pick<CandidateCacheOptions, "lruSize" | "ttlSeconds"> & Partial<CandidateCacheOptions>;
  refreshMs: number;
  log: FastifyBaseLogger;
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
 * The search of flight-svc: the timetable held in memory (loaded at start, changed by the
 * flight routes, refreshed from PostgreSQL for changes made elsewhere), the engine, the
 * two-level candidate cache keyed by schedule version, and live seats applied last.
 */
export class SearchService {
  private index = new ScheduleIndex();
  private engine: SearchEngine;
  private readonly cache: CandidateCache;
  private readonly counters = emptyCounters();
  /** Time spent in the engine (runs and reruns), for /metrics beside the run counts. */
  private engineSeconds = 0;
  private readonly seats: SeatReads;
  /** Null while a local change waits for its new version: searches then skip the caches. */
  private version: string | null = null;
  private watermark: Date | null = null;
  private timer: NodeJS.Timeout | null = null;
  private serial: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: SearchServiceOptions) {
    this.engine = new SearchEngine(this.index, opts.rules);
    this.seats = new SeatReads(opts.seats, () => this.count("seat_reads"));
    this.cache = new CandidateCache(opts.redis, { lockMs: 2_000, waitMs: 1_000, pollMs: 5, ...opts.cache }, (c) =>
      this.count(c),
    );
  }

  async start(): Promise<void> {
    await this.reload();
    this.timer = setInterval(() => {
      this.refresh().catch((err) => this.opts.log.warn({ err }, "schedule refresh failed"));
    }, this.opts.refreshMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.serial.catch(() => {});
  }

  /** Reads the whole schedule again into a fresh index (start-up, tests that reset the data). */
  reload(): Promise<void> {
    return this.serialize(() => this.readAll());
  }

  /** Picks up changes other instances (or other tools) made to the flights table. */
  refresh(): Promise<void> {
    return this.serialize(async () => {
      this.count("schedule_refreshes");
      const [count] = await this.opts.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM flights`;
      if ((count?.n ?? 0) < this.index.size) {
        // Flights were deleted (the data was reset): only a full read drops them.
        const before = this.version;
        await this.readAll();
        if (this.version === before) this.version = await bumpScheduleVersion(this.opts.redis);
        return;
      }
      const version = await readScheduleVersion(this.opts.redis);
      const since = this.watermark ? new Date(this.watermark.getTime() - REFRESH_OVERLAP_MS) : null;
      let structural = false;
      const latest = await readFlights(this.opts.sql, since, (input) => {
        if (this.index.upsert(input).structural) structural = true;
      });
      if (latest && (!this.watermark || latest > this.watermark)) this.watermark = latest;
      // Changed here but nobody bumped the version (the change bypassed the API, or a local
      // change could not bump it): bump it now, or stale cached searches would stay valid.
      const unbumped = (structural && version === this.version) || this.version === null;
      const next = unbumped ? await bumpScheduleVersion(this.opts.redis) : version;
      if (next !== this.version || structural) this.cache.clear();
      this.version = next;
    });
  }

  /** After the flight routes committed a row: index it and, if itineraries change, invalidate. */
  applied(row: FlightRow): Promise<void> {
    return this.serialize(async () => {
      if (!this.index.upsert(inputOf(row)).structural) return;
      this.version = null;
      this.cache.clear();
      this.version = await bumpScheduleVersion(this.opts.redis);
    });
  }

  /** The best `limit` itineraries with `seats` free on every leg, and those seat counts. */
  async search(p: SearchParams): Promise<Selection> {
    this.count("searches");
    if (this.index.airportId(p.source) === undefined || this.index.airportId(p.destination) === undefined) {
      return { itineraries: [], available: new Map(), recomputed: 0 };
    }
    const engine = this.engine;
    const query = { source: p.source, destination: p.destination, dayStart: p.dayStart, maxStops: p.maxStops };
    const compute = () => this.computeCandidates(query);
    const index = this.index;
    const set =
      this.version === null
        ? compute()
        : await this.cache.get(keys.searchResult(this.version, p.source, p.destination, p.date, p.maxStops), {
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
    const r = this.timed(() => this.engine.search({ ...q, candidates: CANDIDATES, sorts: SORTS }));
    return { complete: r.complete, lists: { cheapest: r.lists.cheapest ?? [], fastest: r.lists.fastest ?? [] } };
  }

  metrics(): SearchMetrics {
    return { ...this.counters, schedule_version: this.version ?? "pending", schedule_flights: this.index.size };
  }

  private async readAll(): Promise<void> {
    // The version is read before the flights: the index is at least as new as it.
    const version = await readScheduleVersion(this.opts.redis);
    const index = new ScheduleIndex();
    this.watermark = await readFlights(this.opts.sql, null, (input) => index.upsert(input));
    index.prepare();
    this.index = index;
    this.engine = new SearchEngine(index, this.opts.rules);
    this.cache.clear();
    this.version = version;
  }

  /** Seconds the engine has run in this process. */
  engineTime(): number {
    return this.engineSeconds;
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

  private serialize(fn: () => Promise<void>): Promise<void> {
    const run = this.serial.then(fn, fn);
    this.serial = run.catch(() => {});
    return run;
  }
}
