// Hold throughput by Redis topology: a hold placed and released (flight-svc's inventory, in this
// process, 16 concurrent clients each with one hold in flight) on
//  1. one node, one Lua script per multi-leg step (INVENTORY_PROTOCOL=auto, what one node runs),
//  2. one node, leg by leg (INVENTORY_PROTOCOL=per-leg: what the cluster protocol costs alone),
//  3. a local Redis Cluster of three masters (scripts/redis-cluster.sh, no replicas), leg by leg,
// each for one-leg and two-leg holds. The cluster's nodes share this machine's cores with
// everything else, so its figure shows the protocol's cost, not a cluster's capacity.
// BENCH_CLUSTER_PORT (default 7021) is the first node's port; bus ports are +100.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { buildApp } from "../flight-svc/app.js";
import { loadFlightConfig } from "../flight-svc/config.js";
import { projectPath } from "../lib/paths.js";
import { createSql } from "../lib/postgres-plugin.js";
import { eachMaster } from "../lib/redis-nodes.js";

const DURATION_S = 3;
const CLIENTS = 16;
const FLIGHTS = 64;
const HUGE = 2_000_000_000;

const run = promisify(execFile);
const clusterPort = Number(process.env.BENCH_CLUSTER_PORT ?? 7021);
const clusterEnv = {
  ...process.env,
  CLUSTER_DIR: projectPath(".run", "bench", "cluster"),
  CLUSTER_PORT: String(clusterPort),
  CLUSTER_BUS_PORT: String(clusterPort + 100),
  CLUSTER_REPLICAS: "0",
  REDIS_APPENDONLY: "no",
  CLUSTER_CLEAN: "1",
};
const clusterScript = projectPath("scripts", "redis-cluster.sh");
await run(clusterScript, ["up"], { env: clusterEnv });
const clusterNodes = (await run(clusterScript, ["nodes"], { env: clusterEnv })).stdout.trim().split(",").slice(0, 3);

const base = loadFlightConfig();
const sql = createSql(base.flightsDatabaseUrl, 2);
await sql`TRUNCATE flights, seat_ledger RESTART IDENTITY CASCADE`;
await sql`
  INSERT INTO flights (flight_number, airline, source, destination, departure_time, arrival_time, total_seats, price)
  SELECT 'HT' || g, 'Bench Air', 'DEL', 'BOM', '2024-02-15T08:00:00Z', '2024-02-15T10:00:00Z', ${HUGE}, 100
  FROM generate_series(1, ${FLIGHTS}) g`;
await sql.end({ timeout: 5 });

/** Holds placed and released per second by `CLIENTS` loops, each on its own flights. */
async function holdsPerSecond(app: Awaited<ReturnType<typeof buildApp>>, legs: number, seconds: number) {
  const end = Date.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      const flightIds = Array.from({ length: legs }, (_, l) => ((c * legs + l) % FLIGHTS) + 1);
      while (Date.now() < end) {
        const h = await app.inventory.placeHold({ flightIds, seats: 1, ttlSeconds: 60 });
        await app.inventory.releaseHold(h.hold_id);
        done++;
      }
    }),
  );
  return Math.round(done / seconds);
}

const variants = [
  { name: "one node, one script", env: {} },
  { name: "one node, per leg", env: { INVENTORY_PROTOCOL: "per-leg" } },
  { name: "cluster of 3 masters, per leg", env: { REDIS_CLUSTER_NODES: clusterNodes.join(",") } },
];
const results: Record<string, number[]> = {};
try {
  for (const v of variants) {
    const config = loadFlightConfig({ ...process.env, ...v.env, LOG_LEVEL: "warn", HOLD_SWEEP_MS: "600000" });
    const app = await buildApp({ config });
    await app.ready();
    await eachMaster(app.redis, (node) => node.flushdb());
    await holdsPerSecond(app, 2, 1); // warm-up: JIT, script cache, counters
    results[v.name] = [await holdsPerSecond(app, 1, DURATION_S), await holdsPerSecond(app, 2, DURATION_S)];
    await app.close();
  }
} finally {
  await run(clusterScript, ["down"], { env: clusterEnv });
}

const first = results[variants[0]?.name as string] as number[];
console.log(`${"holds placed + released per second".padEnd(34)} ${"1 leg".padStart(8)} ${"2 legs".padStart(8)}`);
for (const v of variants) {
  const [one, two] = results[v.name] as number[];
  const rel = `${((one as number) / (first[0] as number)).toFixed(2)}× / ${((two as number) / (first[1] as number)).toFixed(2)}×`;
  console.log(`${v.name.padEnd(34)} ${String(one).padStart(8)} ${String(two).padStart(8)}   ${rel} of one script`);
}
