// Seat inventory, two comparisons measured side by side in this run:
//  1. HTTP: POST /api/flights/holds then DELETE of that hold (every request counted) next to a
//     bare Fastify POST route, autocannon with 50 connections, server in this process.
//  2. The Lua hold (lua/hold.lua) by 16 concurrent clients on flight-svc's Redis connection,
//     next to PostgreSQL's conditional UPDATE … WHERE booked_seats + n <= total_seats on one
//     hot row by 16 clients (16 connections), each client with one call in flight. The bench's
//     PostgreSQL runs with fsync and synchronous_commit off (PG_FAST); the UPDATE is measured
//     so, and durable (both on, switched with ALTER SYSTEM for that phase and reset after).
import type autocannon from "autocannon";
import postgres from "postgres";
import { buildApp } from "../flight-svc/app.js";
import { loadFlightConfig } from "../flight-svc/config.js";
import { legKeys } from "../flight-svc/inventory/scripts.js";
import { createSql } from "../lib/postgres-plugin.js";
import { closeRedis, createRedis } from "../lib/redis-plugin.js";
import { formatLoad, load, ratio, startBareRoute } from "./lib/http.js";

const DURATION_S = 3;
const ROUNDS = 3;
const CLIENTS = 16;
const HUGE = 2_000_000_000; // seats enough that no phase runs out
const [HTTP_FLIGHT, LUA_FLIGHT, PG_FLIGHT] = [1, 2, 3];

const env = loadFlightConfig();
const sql = createSql(env.flightsDatabaseUrl, 2);
const admin = createRedis(env.redisUrl);
async function reset(): Promise<void> {
  await admin.flushall();
  await sql`TRUNCATE flights, seat_ledger RESTART IDENTITY CASCADE`;
  await sql`
    INSERT INTO flights (flight_number, airline, source, destination, departure_time, arrival_time, total_seats, price)
    SELECT 'IV' || g, 'Bench Air', 'DEL', 'BOM', '2024-02-15T08:00:00Z', '2024-02-15T10:00:00Z', ${HUGE}, 100
    FROM generate_series(1, 3) g`;
}
await reset();

const app = await buildApp({ config: { ...env, logLevel: "warn" } });
const base = await app.listen({ host: "127.0.0.1", port: 0 });
const sample = { hold_id: "9b2f7c1e-0d4a-4c55-8f3e-2a1b6c7d8e9f", status: "held", seats: 1 };
const bare = await startBareRoute(
  { ...sample, expires_at: new Date().toISOString(), legs: [{ flight_id: 1, available_seats: 179 }] },
  "POST",
);
const json = { "content-type": "application/json" };
const holdBody = JSON.stringify({ flight_ids: [HTTP_FLIGHT], seats: 1, ttl_seconds: 60 });

type Ctx = { holdId?: string };
const holdRelease: autocannon.Options = {
  url: base,
  requests: [
    {
      method: "POST",
      path: "/api/flights/holds",
      headers: json,
      body: holdBody,
      onResponse: (_status, body, context: Ctx) => {
        context.holdId = (JSON.parse(body) as { hold_id: string }).hold_id;
      },
    },
    {
      method: "DELETE",
      setupRequest: (req, context: Ctx) => ({ ...req, path: `/api/flights/holds/${context.holdId}` }),
    },
  ],
};
const bareLoad: autocannon.Options = { url: bare.url, method: "POST", headers: json, body: holdBody };

/** ops/s of `clients` loops, each with one call in flight, for `seconds`. */
async function closedLoop(clients: number, seconds: number, op: (client: number, n: number) => Promise<unknown>) {
  const end = Date.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let n = 0; Date.now() < end; n++) {
        await op(c, n);
        done++;
      }
    }),
  );
  return Math.round(done / seconds);
}

await app.inventory.availableSeats([LUA_FLIGHT]);
let runId = 0;
function luaHold(c: number, n: number) {
  const id = `bench-${runId}-${c}-${n}`;
  const ks = legKeys(id, [LUA_FLIGHT], ["available", "holds"]);
  // The last argument is the token the seat ledger would record: the id is unique here.
  return app.redis.invHold(ks.length, ...ks, id, 1, 60_000, Date.now(), 60_000, String(LUA_FLIGHT), "hold", id);
}
const pg = postgres(env.flightsDatabaseUrl, { max: CLIENTS, onnotice: () => {} });
/** Runs `fn` with fsync and synchronous_commit on, as a durable PostgreSQL would be. */
async function durable<T>(fn: () => Promise<T>): Promise<T> {
  await pg`ALTER SYSTEM SET fsync = on`;
  await pg`ALTER SYSTEM SET synchronous_commit = on`;
  await pg`SELECT pg_reload_conf()`;
  await new Promise((r) => setTimeout(r, 500));
  try {
    return await fn();
  } finally {
    await pg`ALTER SYSTEM RESET fsync`;
    await pg`ALTER SYSTEM RESET synchronous_commit`;
    await pg`SELECT pg_reload_conf()`;
    await new Promise((r) => setTimeout(r, 500));
  }
}
const hotRow = () =>
  pg`UPDATE flights SET booked_seats = booked_seats + 1 WHERE id = ${PG_FLIGHT} AND booked_seats + 1 <= total_seats`;

// Warm-up: JIT, pools, script cache.
await load({ ...bareLoad, duration: 1 });
await load({ ...holdRelease, duration: 1 });
await closedLoop(CLIENTS, 1, luaHold);
await closedLoop(CLIENTS, 1, hotRow);

const runs = {
  bare: [] as number[],
  http: [] as number[],
  lua: [] as number[],
  off: [] as number[],
  on: [] as number[],
};
for (let round = 1; round <= ROUNDS; round++) {
  console.log(`-- round ${round}`);
  const b = await load({ ...bareLoad, duration: DURATION_S });
  console.log(formatLoad("bare Fastify POST (baseline)", b));
  const h = await load({ ...holdRelease, duration: DURATION_S });
  console.log(formatLoad("POST hold + DELETE hold, through HTTP", h));
  runs.bare.push(b.requestsPerSec);
  runs.http.push(h.requestsPerSec);
  runId++;
  const lua = await closedLoop(CLIENTS, DURATION_S, luaHold);
  const off = await closedLoop(CLIENTS, DURATION_S, hotRow);
  const on = await durable(() => closedLoop(CLIENTS, DURATION_S, hotRow));
  runs.lua.push(lua);
  runs.off.push(off);
  runs.on.push(on);
  console.log(`${"Lua hold, one hot flight, 16 clients".padEnd(44)} ${String(lua).padStart(8)} ops/s`);
  console.log(`${"PG hot-row UPDATE, fsync/sync commit off".padEnd(44)} ${String(off).padStart(8)} tps`);
  console.log(`${"PG hot-row UPDATE, durable (both on)".padEnd(44)} ${String(on).padStart(8)} tps`);
  console.log(
    `   HTTP hold+release ${ratio(h.requestsPerSec, b.requestsPerSec)} of bare; Lua ${(lua / off).toFixed(1)}× ` +
      `PG not durable, ${(lua / on).toFixed(1)}× PG durable`,
  );
  await reset();
  await app.inventory.availableSeats([LUA_FLIGHT]);
}

// Each round measures its pair side by side; the median of the rounds' ratios resists the
// minutes-long swings of a shared machine better than a ratio of bests.
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const per = (a: number[], b: number[]) => a.map((x, i) => x / (b[i] ?? 1));
console.log(
  `\nmedian of ${ROUNDS} rounds: HTTP hold+release = ${(median(per(runs.http, runs.bare)) * 100).toFixed(0)}% of the ` +
    `bare route (target ≥ 40%); Lua hold = ${median(per(runs.lua, runs.on)).toFixed(1)}× the durable PostgreSQL ` +
    `hot row (target ≥ 5×), ${median(per(runs.lua, runs.off)).toFixed(1)}× one with fsync and synchronous_commit off`,
);

await app.close();
await bare.close();
await closeRedis(admin);
await Promise.all([sql.end({ timeout: 5 }), pg.end({ timeout: 5 })]);
