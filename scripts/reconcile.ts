// `make reconcile` (tsx scripts/reconcile.ts [--dry-run]): compares every flight's seat counter
// in Redis with PostgreSQL, prints the drift as JSON and, unless --dry-run, repairs it.
// Exit status: 0 when nothing drifted or everything was repaired, 1 otherwise.
import { SeatCounters } from "../flight-svc/inventory/counters.js";
import { Reconciler } from "../flight-svc/inventory/reconcile.js";
import type { ReconcileReport } from "../flight-svc/inventory/schemas.js";
import { defineInventoryCommands } from "../flight-svc/inventory/scripts.js";
import { SeatsRepo } from "../flight-svc/seating/repo.js";
import { createSql } from "../lib/postgres-plugin.js";
import { closeRedis, createRedis } from "../lib/redis-plugin.js";
import { configOrExit } from "../lib/server.js";
import { isMain, run, storesOf } from "./data/cli.js";
import { type DataConfig, loadDataConfig } from "./data/config.js";

export async function reconcile(
  config: Pick<DataConfig, "redisUrl" | "redisClusterNodes" | "flightsDatabaseUrl">,
  repair: boolean,
): Promise<ReconcileReport> {
  const redis = createRedis(config.redisUrl, config.redisClusterNodes);
  // A Redis that cannot be reached fails the first command; the error events say nothing more.
  redis.on("error", () => {});
  const sql = createSql(config.flightsDatabaseUrl, 2);
  try {
    defineInventoryCommands(redis);
    return await new Reconciler(redis, sql, new SeatCounters(redis, sql), new SeatsRepo(sql)).run(repair);
  } finally {
    await closeRedis(redis);
    await sql.end({ timeout: 5 });
  }
}

if (isMain(import.meta.url)) {
  const args = process.argv.slice(2);
  const usage = "usage: make reconcile [ARGS=--dry-run]";
  if (args.includes("--help")) {
    console.log(usage);
    process.exit(0);
  }
  const unknown = args.filter((a) => a !== "--dry-run");
  if (unknown.length > 0) {
    process.stderr.write(`reconcile: unknown argument ${unknown[0]}; ${usage}\n`);
    process.exit(2);
  }
  const repair = !args.includes("--dry-run");
  const config = configOrExit("reconcile", loadDataConfig);
  run(
    "reconcile",
    async () => {
      const report = await reconcile(config, repair);
      console.log(JSON.stringify(report, null, 2));
      const seatMaps = report.seat_drift?.length ?? 0;
      const seatMapsRepaired = report.seat_maps_repaired ?? 0;
      const left = report.drift.length - report.repaired + seatMaps - seatMapsRepaired;
      process.stderr.write(
        `reconcile: ${report.flights_checked} flights checked, ${report.drift.length} drifted, ${report.repaired} repaired; ` +
          `${seatMaps} seat maps drifted, ${seatMapsRepaired} repaired\n`,
      );
      return left === 0 ? 0 : 1;
    },
    storesOf({ redisUrl: config.redisUrl, flightsDatabaseUrl: config.flightsDatabaseUrl }),
  );
}
