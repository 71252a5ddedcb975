// flight-svc's settings and their rules; nothing here depends on another service's settings.
import { type Env, POSTGRES_PROTOCOLS, Reader } from "../lib/config-parse.js";
import {
  readDbPoolSize,
  readEventsRetentionHours,
  readRedisClusterNodes,
  readRedisUrl,
  readServerSettings,
  WORKERS,
} from "../lib/server-config.js";

export function readFlightsDatabaseUrl(r: Reader): string {
  return r.url("FLIGHTS_DATABASE_URL", "postgres://skybook@127.0.0.1:5440/flights_db", POSTGRES_PROTOCOLS);
}

/** How long a confirm or cancel may go without a try before the sweeper settles it through the ledger. */
export function readHoldSettleGraceMs(r: Reader): number {
  return r.int("HOLD_SETTLE_GRACE_MS", 90_000, 100, 3_600_000);
}

/** The least time between a leg's arrival and the next leg's departure. */
export function readMinConnectionMinutes(r: Reader): number {
  return r.int("MIN_CONNECTION_MINUTES", 45, 0, 1440);
}

export function loadFlightConfig(env: Env = process.env) {
  const r = new Reader(env);
  return r.done({
    ...readServerSettings(r),
    redisUrl: readRedisUrl(r),
    redisClusterNodes: readRedisClusterNodes(r),
    flightsDatabaseUrl: readFlightsDatabaseUrl(r),
    dbPoolSize: readDbPoolSize(r),
    eventsRetentionHours: readEventsRetentionHours(r),
    flight: {
      port: r.int("FLIGHT_PORT", 8080, 0, 65535),
      workers: r.intOrAuto("FLIGHT_WORKERS", ...WORKERS),
      minConnectionMinutes: readMinConnectionMinutes(r),
      maxLayoverMinutes: r.int("MAX_LAYOVER_MINUTES", 360, 1, 2880),
      searchCacheTtlSeconds: r.int("SEARCH_CACHE_TTL_SECONDS", 300, 1, 86_400),
      searchLruSize: r.int("SEARCH_LRU_SIZE", 10_000, 1, 10_000_000),
      scheduleRefreshMs: r.int("SCHEDULE_REFRESH_MS", 5_000, 100, 3_600_000),
      holdTtlSeconds: r.int("HOLD_TTL_SECONDS", 900, 1, 1800),
      holdSweepMs: r.int("HOLD_SWEEP_MS", 1_000, 50, 600_000),
      holdSettleGraceMs: readHoldSettleGraceMs(r),
      // Confirms of one flight that arrive while its transaction runs share the next one, up to this many.
      confirmBatchMax: r.int("CONFIRM_BATCH_MAX", 200, 1, 10_000),
      // auto: one script per multi-leg step on one node, leg by leg on Redis Cluster; per-leg:
      // the cluster's protocol on one node too (tests, benchmarks).
      inventoryProtocol: r.oneOf("INVENTORY_PROTOCOL", "auto", ["auto", "per-leg"] as const),
      // A failover may lose the old master's last writes: the repair runs once the new one serves.
      reconcileAfterFailoverMs: r.int("RECONCILE_AFTER_FAILOVER_MS", 2_000, 0, 600_000),
      // The relay appends at once after a change; this pass picks up what a crash left behind.
      eventRelayMs: r.int("EVENT_RELAY_MS", 1_000, 50, 600_000),
    },
  });
}

export type FlightConfig = ReturnType<typeof loadFlightConfig>;
