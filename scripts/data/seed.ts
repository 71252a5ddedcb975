import { type LoadMode, loadFlights } from "../../flight-svc/data/load-flights.js";
import { createSql } from "../../lib/postgres-plugin.js";
import { closeRedis, createRedis } from "../../lib/redis-plugin.js";
import type { DataConfig } from "./config.js";
import { forgetFlightState } from "./flight-state.js";
import { generateSchedule, type ScheduleOptions } from "./generate.js";

export interface SeedReport {
  loaded: number;
  /** Flights there were before (left alone by "if-empty", replaced by "replace"). */
  existing: number;
  generateMs: number;
  loadMs: number;
  /** Stale inventory keys removed from Redis once the flights were loaded. */
  redisKeysDeleted: number;
}

/** Generates the schedule, loads it into flights_db and clears Redis' view of the old flights. */
export async function seedFlights(
  config: Pick<DataConfig, "redisUrl" | "redisClusterNodes" | "flightsDatabaseUrl">,
  opts: ScheduleOptions,
  mode: LoadMode,
): Promise<SeedReport> {
  const t0 = performance.now();
  const rows = generateSchedule(opts);
  const t1 = performance.now();
  const sql = createSql(config.flightsDatabaseUrl, 1);
  let result: Awaited<ReturnType<typeof loadFlights>>;
  try {
    result = await loadFlights(sql, rows, { mode });
  } finally {
    await sql.end({ timeout: 5 });
  }
  const t2 = performance.now();
  let redisKeysDeleted = 0;
  if (result.loaded > 0) {
    const redis = createRedis(config.redisUrl, config.redisClusterNodes);
    // Failures surface as rejected commands below; the event would only repeat them.
    redis.on("error", () => {});
    try {
      redisKeysDeleted = await forgetFlightState(redis);
    } catch (err) {
      throw new Error(`flights loaded, but Redis (${config.redisUrl}) could not be cleared: ${(err as Error).message}`);
    } finally {
      await closeRedis(redis);
    }
  }
  return { ...result, generateMs: t1 - t0, loadMs: t2 - t1, redisKeysDeleted };
}

const n = (v: number) => v.toLocaleString("en-US");
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export function describeSeed(opts: ScheduleOptions, r: SeedReport): string {
  const sample = r.loaded - opts.flightsPerDay * opts.days;
  const what =
    opts.flightsPerDay === 0
      ? "the original's sample only, nothing generated"
      : `${sample} sample + ${n(opts.flightsPerDay)} a day × ${opts.days} day${opts.days === 1 ? "" : "s"} from ` +
        `${opts.startDate}, seed ${opts.seed}`;
  return (
    `${n(r.loaded)} flights (${what}): generated in ${s(r.generateMs)}, loaded in ${s(r.loadMs)}` +
    `${r.existing > 0 ? ` replacing ${n(r.existing)}` : ""}; ${n(r.redisKeysDeleted)} stale inventory keys removed from Redis`
  );
}
