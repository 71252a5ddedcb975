import type { FastifyBaseLogger } from "fastify";
import type { Sql } from "../../lib/postgres-plugin.js";
import type { RedisClient } from "../../lib/redis-plugin.js";
import type { FlightRow } from "./flight-record.js";
import { ScheduleIndex } from "./schedule-index.js";
import { inputOf, type ReadMark, readFlights, readMark } from "./schedule-store.js";
import { bumpScheduleVersion, readScheduleVersion } from "./schedule-version.js";

/**
 * A refresh looks this far back before the last read's start for rows committed since it (by
 * transactions running then). A transaction that started earlier still and commits later is
 * seen only by the next full read.
 */
const REFRESH_OVERLAP_MS = 60_000;

export interface TimetableOptions {
  redis: RedisClient;
  sql: Sql;
  refreshMs: number;
  log: FastifyBaseLogger;
}

/**
 * The flights table held in memory for searching, and the schedule version that keys cached
 * searches: read whole at start, changed by the flight routes (`applied`), and refreshed from
 * PostgreSQL for changes made by other instances or tools. Every change that can alter an
 * itinerary calls the `onInvalidate` listeners, so that caches of this process are dropped.
 */
export class Timetable {
  private current = new ScheduleIndex();
  /** Null while a local change waits for its new version: searches then skip the caches. */
  private currentVersion: string | null = null;
  /** Where the last read started; the next reads from a little before it. */
  private mark: ReadMark | null = null;
  private timer: NodeJS.Timeout | null = null;
  private serial: Promise<unknown> = Promise.resolve();
  private readonly listeners: (() => void)[] = [];
  /** Runs of refresh(), for the search metrics. */
  refreshes = 0;

  constructor(private readonly opts: TimetableOptions) {}

  /** The index searches run on; replaced as a whole by a full read. */
  get index(): ScheduleIndex {
    return this.current;
  }

  get version(): string | null {
    return this.currentVersion;
  }

  onInvalidate(listener: () => void): void {
    this.listeners.push(listener);
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
      this.refreshes++;
      const mark = await readMark(this.opts.sql);
      if (!this.mark || mark.deletions !== this.mark.deletions) {
        // Flights were deleted (the data was reset): only a full read drops them.
        const before = this.currentVersion;
        await this.readAll(mark);
        if (this.currentVersion === before) this.currentVersion = await bumpScheduleVersion(this.opts.redis);
        return;
      }
      const version = await readScheduleVersion(this.opts.redis);
      // From the previous read's start, not from the newest row seen: after a bulk load no row
      // is newer than the load, and every period would read the whole table again.
      let structural = false;
      await readFlights(this.opts.sql, { mark: this.mark, overlapMs: REFRESH_OVERLAP_MS }, (input) => {
        if (this.current.upsert(input).structural) structural = true;
      });
      this.mark = mark;
      // Changed here but nobody bumped the version (the change bypassed the API, or a local
      // change could not bump it): bump it now, or stale cached searches would stay valid.
      const unbumped = (structural && version === this.currentVersion) || this.currentVersion === null;
      const next = unbumped ? await bumpScheduleVersion(this.opts.redis) : version;
      if (next !== this.currentVersion || structural) this.invalidate();
      this.currentVersion = next;
    });
  }

  /**
   * After the flight routes committed a row: index it and, if itineraries change, invalidate.
   * Never fails for a row already committed: if RedisClient refuses the new version, searches here
   * skip the caches until the next refresh bumps it (it bumps whenever the version is pending).
   * `log` is the request's logger, so that the warning carries the request's id.
   */
  applied(row: FlightRow, log: FastifyBaseLogger): Promise<void> {
    return this.serialize(async () => {
      if (!this.current.upsert(inputOf(row)).structural) return;
      this.currentVersion = null;
      this.invalidate();
      try {
        this.currentVersion = await bumpScheduleVersion(this.opts.redis);
      } catch (err) {
        log.warn(
          { component: "timetable", err, flight_id: Number(row.id) },
          "schedule version not bumped; the refresh will",
        );
      }
    });
  }

  private async readAll(mark?: ReadMark): Promise<void> {
    // The version is read before the flights: the index is at least as new as it.
    const version = await readScheduleVersion(this.opts.redis);
    const start = mark ?? (await readMark(this.opts.sql));
    const index = new ScheduleIndex();
    await readFlights(this.opts.sql, null, (input) => index.upsert(input));
    index.prepare();
    this.current = index;
    this.mark = start;
    this.invalidate();
    this.currentVersion = version;
  }

  private invalidate(): void {
    for (const listener of this.listeners) listener();
  }

  private serialize(fn: () => Promise<void>): Promise<void> {
    const run = this.serial.then(fn, fn);
    this.serial = run.catch(() => {});
    return run;
  }
}
