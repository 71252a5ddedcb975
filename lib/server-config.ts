// The settings every service reads the same way: where and how its HTTP server listens and logs,
// the Redis and PostgreSQL pools that flight-svc and booking-svc both open, and where flight-svc is.
import { isIP } from "node:net";
import { availableParallelism } from "node:os";
import { readAuthSettings } from "./auth/settings.js";
import { type Env, HTTP_PROTOCOLS, Reader } from "./config-parse.js";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

export function readServerSettings(r: Reader) {
  const settings = {
    host: r.str("HOST", "127.0.0.1"),
    logLevel: r.oneOf("LOG_LEVEL", "info", LOG_LEVELS),
    // on: a log line for every request; off: only for failed (4xx/5xx) and slow ones (lib/access-log.ts).
    accessLog: r.oneOf("ACCESS_LOG", "off", ["on", "off"] as const) === "on",
    logSlowMs: r.int("LOG_SLOW_MS", 1_000, 0, 3_600_000),
    // Below a second, closing the pools alone outlasts it: every shutdown would end "timed out", exit 1.
    shutdownTimeoutMs: r.int("SHUTDOWN_TIMEOUT_MS", 30_000, 1_000, 600_000),
    // How long a stopping instance serves on, closing each connection after its answer, before
    // its port closes (lib/server.ts): behind a load balancer, longer than the balancer's
    // upstream keep-alive timeout; 0 (alone, nothing to hand over to) closes at once.
    shutdownDrainMs: r.int("SHUTDOWN_DRAIN_MS", 0, 0, 60_000),
    // off: no /metrics and no per-request counting (make bench measures what they cost).
    metrics: r.oneOf("METRICS", "on", ["on", "off"] as const) === "on",
    // Load balancers (addresses or CIDRs) whose X-Forwarded-For names the client: behind nginx
    // every request comes from nginx, so user-svc's per-address login limit counted all clients as one.
    trustedProxies: readTrustedProxies(r),
    auth: readAuthSettings(r),
    // How long a client may take to send a request, how long an idle keep-alive connection
    // stays open, how many connections the server holds at most.
    http: {
      headersTimeoutMs: r.int("HTTP_HEADERS_TIMEOUT_MS", 10_000, 100, 600_000),
      requestTimeoutMs: r.int("HTTP_REQUEST_TIMEOUT_MS", 30_000, 100, 3_600_000),
      keepAliveTimeoutMs: r.int("HTTP_KEEP_ALIVE_TIMEOUT_MS", 72_000, 100, 600_000),
      maxConnections: r.int("HTTP_MAX_CONNECTIONS", 8_192, 1, 1_000_000),
    },
  };
  if (settings.shutdownDrainMs >= settings.shutdownTimeoutMs) {
    r.problems.push("SHUTDOWN_DRAIN_MS: expected less than SHUTDOWN_TIMEOUT_MS");
  }
  // Node refuses a header deadline beyond the whole request's.
  if (settings.http.headersTimeoutMs > settings.http.requestTimeoutMs) {
    r.problems.push("HTTP_HEADERS_TIMEOUT_MS: expected at most HTTP_REQUEST_TIMEOUT_MS");
  }
  return settings;
}

function readTrustedProxies(r: Reader): string[] {
  const raw = r.str("TRUSTED_PROXIES", "");
  const entries = raw
    .split(",")
    .map((e) => e.trim())
    .filter((e) => e !== "");
  const bad = entries.find((e) => {
    const [address = "", prefix, ...rest] = e.split("/");
    const family = isIP(address);
    const max = family === 4 ? 32 : 128;
    return (
      family === 0 || rest.length > 0 || (prefix !== undefined && !(/^\d+$/.test(prefix) && Number(prefix) <= max))
    );
  });
  if (bad !== undefined)
    r.problems.push(`TRUSTED_PROXIES=${raw}: expected addresses or CIDRs, comma-separated ("${bad}" is not one)`);
  return entries;
}

export type ServerConfig = ReturnType<typeof readServerSettings>;

/** The server settings alone, for a bare Fastify server (tests, tools). */
export function loadServerConfig(env: Env = process.env): ServerConfig {
  const r = new Reader(env);
  return r.done(readServerSettings(r));
}

export function readRedisUrl(r: Reader): string {
  return r.url("REDIS_URL", "redis://127.0.0.1:6390", ["redis:", "rediss:"]);
}

/**
 * REDIS_CLUSTER_NODES=host:port,...: the seed nodes of a Redis Cluster. Set, every Redis client
 * is ioredis' Cluster client and REDIS_URL is not used; empty, one node at REDIS_URL.
 */
export function readRedisClusterNodes(r: Reader): string[] {
  const raw = r.str("REDIS_CLUSTER_NODES", "");
  if (raw === "") return [];
  const nodes = raw.split(",").map((n) => n.trim());
  const bad = nodes.find((n) => !/^[A-Za-z0-9.-]+:\d{1,5}$/.test(n) || Number(n.split(":")[1]) > 65535);
  if (bad !== undefined)
    r.problems.push(`REDIS_CLUSTER_NODES=${raw}: expected host:port,host:port,... ("${bad}" is not one)`);
  return nodes;
}

/** Where booking-svc and user-svc find flight-svc. */
export function readFlightServiceUrl(r: Reader): string {
  return r.url("FLIGHT_SERVICE_URL", "http://127.0.0.1:8080", HTTP_PROTOCOLS);
}

/** How long booking-svc's and user-svc's calls to flight-svc may take. */
export function readFlightTimeoutMs(r: Reader): number {
  return r.int("FLIGHT_TIMEOUT_MS", 5_000, 1, 120_000);
}

/** How long the events stream keeps an event, so a client that reconnects gets what it missed. */
export function readEventsRetentionHours(r: Reader): number {
  return r.int("EVENTS_RETENTION_HOURS", 24, 1, 24 * 30);
}

/**
 * How many processes serve one service's port (lib/workers.ts), as `r.intOrAuto(NAME, ...WORKERS)`:
 * 1 (one plain process, no cluster) unless set; `auto` is one per core this process may use.
 */
export const WORKERS = [1, 1, 256, availableParallelism()] as const;

/** PostgreSQL connections per service. */
export function readDbPoolSize(r: Reader): number {
  return r.int("DB_POOL_SIZE", 10, 1, 200);
}
