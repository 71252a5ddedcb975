// Hold throughput by Redis topology: flight-svc as `make up` runs it (dist/, a process of its
// own, bench/lib/services.ts), 16 clients in this process each placing a hold over HTTP and
// releasing it, one at a time, on
//  1. one node, one Lua script per multi-leg step (INVENTORY_PROTOCOL=auto, what one node runs),
//  2. one node, leg by leg (INVENTORY_PROTOCOL=per-leg: what the cluster protocol costs alone),
//  3. a local Redis Cluster of three masters (lib/local-redis-cluster.ts, no replicas), leg by leg,
// each for one-leg and two-leg holds. The cluster's nodes share this machine's cores with
// everything else, so its figure shows the protocol's cost, not a cluster's capacity.
// BENCH_CLUSTER_PORT (default 7021) is the first node's port (bus ports +100); flight-svc listens
// on BENCH_PORT_BASE (default 8220).
import { mkdir } from "node:fs/promises";
import { loadFlightConfig } from "../flight-svc/config.js";
import { startLocalCluster, stopLocalCluster } from "../lib/local-redis-cluster.js";
import { projectPath } from "../lib/paths.js";
import { createSql } from "../lib/postgres-plugin.js";
import { eachMaster } from "../lib/redis-nodes.js";
import { closeRedis, createRedis } from "../lib/redis-plugin.js";
import { startStack } from "./lib/services.js";

const DURATION_S = 3;
const CLIENTS = 16;
const FLIGHTS = 64;
const HUGE = 2_000_000_000;

const port = Number(process.env.BENCH_PORT_BASE ?? 8220);
const logDir = projectPath(".run", "bench", "logs");
await mkdir(logDir, { recursive: true });
const cluster = {
  dir: projectPath(".run", "bench", "cluster"),
  port: Number(process.env.BENCH_CLUSTER_PORT ?? 7021),
};
const clusterNodes = await startLocalCluster(cluster);

const base = loadFlightConfig();
const sql = createSql(base.flightsDatabaseUrl, 2);
await sql`TRUNCATE flights, seat_ledger RESTART IDENTITY CASCADE`;
await sql`
  INSERT INTO flights (flight_number, airline, source, destination, departure_time, arrival_time, total_seats, price)
  SELECT 'HT' || g, 'Bench Air', 'DEL', 'BOM', '2024-02-15T08:00:00Z', '2024-02-15T10:00:00Z', ${HUGE}, 100
  FROM generate_series(1, ${FLIGHTS}) g`;
await sql.end({ timeout: 5 });

async function call(url: string, method: string, body?: unknown): Promise<{ hold_id: string }> {
  const r = await fetch(url, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${url}: ${r.status} ${text}`);
  return JSON.parse(text) as { hold_id: string };
}

/** Holds placed and released per second by `CLIENTS` loops, each on its own flights. */
async function holdsPerSecond(url: string, legs: number, seconds: number): Promise<number> {
  const end = Date.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      const flightIds = Array.from({ length: legs }, (_, l) => ((c * legs + l) % FLIGHTS) + 1);
      while (Date.now() < end) {
        const h = await call(`${url}/api/flights/holds`, "POST", { flight_ids: flightIds, seats: 1, ttl_seconds: 60 });
        await call(`${url}/api/flights/holds/${h.hold_id}`, "DELETE");
        done++;
      }
    }),
  );
  return Math.round(done / seconds);
}

const variants: { name: string; env: Record<string, string> }[] = [
  { name: "one node, one script", env: {} },
  { name: "one node, per leg", env: { INVENTORY_PROTOCOL: "per-leg" } },
  { name: "cluster of 3 masters, per leg", env: { REDIS_CLUSTER_NODES: clusterNodes.join(",") } },
];
const results: Record<string, number[]> = {};
try {
  for (const v of variants) {
    const redis = createRedis(base.redisUrl, v.env.REDIS_CLUSTER_NODES?.split(",") ?? []);
    await eachMaster(redis, (node) => node.flushdb());
    await closeRedis(redis);
    const stack = await startStack(port, { ...v.env, HOLD_SWEEP_MS: "600000" }, logDir, ["flight-svc"]);
    try {
      const url = stack.urls["flight-svc"];
      await holdsPerSecond(url, 2, 1); // warm-up: JIT, script cache, counters
      results[v.name] = [await holdsPerSecond(url, 1, DURATION_S), await holdsPerSecond(url, 2, DURATION_S)];
    } finally {
      await stack.stop();
    }
  }
} finally {
  await stopLocalCluster(cluster, true);
}

const first = results[variants[0]?.name as string] as number[];
console.log(`${"holds placed + released per second".padEnd(34)} ${"1 leg".padStart(8)} ${"2 legs".padStart(8)}`);
for (const v of variants) {
  const [one, two] = results[v.name] as number[];
  const rel = `${((one as number) / (first[0] as number)).toFixed(2)}× / ${((two as number) / (first[1] as number)).toFixed(2)}×`;
  console.log(`${v.name.padEnd(34)} ${String(one).padStart(8)} ${String(two).padStart(8)}   ${rel} of one script`);
}
