// The only place that reads process.env. Every variable has a default and a rule; a bad
// value stops start-up with a message naming the variable and what it accepts.

import { TIMEOUT_OUTCOMES } from "../contracts/payment-mock/admin.js";

type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  private raw(name: string): string | undefined {
    const v = this.env[name];
    return v === undefined || v.trim() === "" ? undefined : v.trim();
  }

  str(name: string, def: string): string {
    return this.raw(name) ?? def;
  }

  int(name: string, def: number, min: number, max: number): number {
    const v = this.raw(name);
    if (v === undefined) return def;
    const n = Number(v);
    if (!/^-?\d+$/.test(v) || n < min || n > max) {
      this.problems.push(`${name}=${v}: expected an integer from ${min} to ${max}`);
      return def;
    }
    return n;
  }

  num(name: string, def: number, min: number, max: number): number {
    const v = this.raw(name);
    if (v === undefined) return def;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) {
      this.problems.push(`${name}=${v}: expected a number from ${min} to ${max}`);
      return def;
    }
    return n;
  }

  /** An integer that may be left unset (null), e.g. a random seed. */
  optionalInt(name: string, min: number, max: number): number | null {
    return this.raw(name) === undefined ? null : this.int(name, min, min, max);
  }

  oneOf<T extends string>(name: string, def: T, allowed: readonly T[]): T {
    const v = this.raw(name);
    if (v === undefined) return def;
    if (!allowed.includes(v as T)) {
      this.problems.push(`${name}=${v}: expected one of ${allowed.join(", ")}`);
      return def;
    }
    return v as T;
  }

  url(name: string, def: string, protocols: readonly string[]): string {
    const v = this.raw(name) ?? def;
    try {
      const u = new URL(v);
      if (!protocols.includes(u.protocol)) throw new Error("protocol");
    } catch {
      this.problems.push(`${name}=${v}: expected a URL starting with ${protocols.map((p) => `${p}//`).join(" or ")}`);
    }
    return v;
  }
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** A real calendar date written YYYY-MM-DD (2024-02-30 is not one). */
export function isUtcDate(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
}

export function loadConfig(env: Env = process.env) {
  const r = new Reader(env);
  const config = {
    host: r.str("HOST", "127.0.0.1"),
    logLevel: r.oneOf("LOG_LEVEL", "info", LOG_LEVELS),
    shutdownTimeoutMs: r.int("SHUTDOWN_TIMEOUT_MS", 30_000, 0, 600_000),
    redisUrl: r.url("REDIS_URL", "redis://127.0.0.1:6390", ["redis:", "rediss:"]),
    flightsDatabaseUrl: r.url("FLIGHTS_DATABASE_URL", "postgres://skybook@127.0.0.1:5440/flights_db", [
      "postgres:",
      "postgresql:",
    ]),
    bookingsDatabaseUrl: r.url("BOOKINGS_DATABASE_URL", "postgres://skybook@127.0.0.1:5440/bookings_db", [
      "postgres:",
      "postgresql:",
    ]),
    dbPoolSize: r.int("DB_POOL_SIZE", 10, 1, 200),
    // booking-svc sends it, flight-svc accepts booking-svc's reserved hold ids with it
    // (contracts/flight-svc/holds.ts). The default suits a flight-svc no client but booking-svc reaches.
    serviceToken: r.str("SERVICE_TOKEN", "skybook-local-service-token"),
    // off: no /metrics and no per-request counting (make bench measures what they cost).
    metrics: r.oneOf("METRICS", "on", ["on", "off"] as const) === "on",
    // Every service's HTTP server: how long a client may take to send a request, how long an
    // idle keep-alive connection stays open, how many connections it holds at most.
    http: {
      headersTimeoutMs: r.int("HTTP_HEADERS_TIMEOUT_MS", 10_000, 100, 600_000),
      requestTimeoutMs: r.int("HTTP_REQUEST_TIMEOUT_MS", 30_000, 100, 3_600_000),
      keepAliveTimeoutMs: r.int("HTTP_KEEP_ALIVE_TIMEOUT_MS", 72_000, 100, 600_000),
      maxConnections: r.int("HTTP_MAX_CONNECTIONS", 8_192, 1, 1_000_000),
    },
    flight: {
      port: r.int("FLIGHT_PORT", 8080, 0, 65535),
      minConnectionMinutes: r.int("MIN_CONNECTION_MINUTES", 45, 0, 1440),
      maxLayoverMinutes: r.int("MAX_LAYOVER_MINUTES", 360, 1, 2880),
      searchCacheTtlSeconds: r.int("SEARCH_CACHE_TTL_SECONDS", 300, 1, 86_400),
      searchLruSize: r.int("SEARCH_LRU_SIZE", 10_000, 1, 10_000_000),
      scheduleRefreshMs: r.int("SCHEDULE_REFRESH_MS", 5_000, 100, 3_600_000),
      holdTtlSeconds: r.int("HOLD_TTL_SECONDS", 900, 1, 1800),
      holdSweepMs: r.int("HOLD_SWEEP_MS", 1_000, 50, 600_000),
      holdSettleGraceMs: r.int("HOLD_SETTLE_GRACE_MS", 90_000, 100, 3_600_000),
    },
    booking: {
      port: r.int("BOOKING_PORT", 8081, 0, 65535),
      flightServiceUrl: r.url("FLIGHT_SERVICE_URL", "http://127.0.0.1:8080", ["http:", "https:"]),
      paymentServiceUrl: r.url("PAYMENT_SERVICE_URL", "http://127.0.0.1:8082", ["http:", "https:"]),
      flightTimeoutMs: r.int("FLIGHT_TIMEOUT_MS", 5_000, 1, 120_000),
      paymentTimeoutMs: r.int("PAYMENT_TIMEOUT_MS", 8_000, 1, 120_000),
      paymentConcurrency: r.int("PAYMENT_CONCURRENCY", 256, 1, 100_000),
      sweepMs: r.int("BOOKING_SWEEP_MS", 5_000, 50, 3_600_000),
      pendingDeadlineSeconds: r.int("BOOKING_PENDING_DEADLINE_SECONDS", 60, 1, 86_400),
      // The longest the sweeper waits before it tries an unfinished booking again.
      retryMaxSeconds: r.int("BOOKING_RETRY_MAX_SECONDS", 60, 1, 86_400),
      idempotencyTtlSeconds: r.int("IDEMPOTENCY_TTL_SECONDS", 86_400, 1, 30 * 86_400),
      // The booking's seats are held this long while it is paid for (the original's 15 minutes).
      holdTtlSeconds: r.int("BOOKING_HOLD_TTL_SECONDS", 900, 1, 1800),
      upstreamConnections: r.int("BOOKING_UPSTREAM_CONNECTIONS", 128, 1, 10_000),
      sweepBatch: r.int("BOOKING_SWEEP_BATCH", 50, 1, 10_000),
    },
    payment: {
      port: r.int("PAYMENT_PORT", 8082, 0, 65535),
      failureRate: r.num("PAYMENT_FAILURE_RATE", 0.15, 0, 1),
      timeoutRate: r.num("PAYMENT_TIMEOUT_RATE", 0.05, 0, 1),
      // A fixed latency (PAYMENT_LATENCY_MS) wins over the uniform MIN..MAX range.
      latencyMs: r.optionalInt("PAYMENT_LATENCY_MS", 0, 600_000),
      latencyMinMs: r.int("PAYMENT_LATENCY_MIN_MS", 2_000, 0, 600_000),
      latencyMaxMs: r.int("PAYMENT_LATENCY_MAX_MS", 5_000, 0, 600_000),
      timeoutDelayMs: r.int("PAYMENT_TIMEOUT_DELAY_MS", 10_000, 0, 600_000),
      timeoutOutcome: r.oneOf("PAYMENT_TIMEOUT_OUTCOME", "not_processed", TIMEOUT_OUTCOMES),
      seed: r.optionalInt("PAYMENT_SEED", 0, 2 ** 31 - 1),
      // Payments kept in memory (LRU), about 460 B each: the default caps them near 230 MB.
      maxStored: r.int("PAYMENT_MAX_STORED", 500_000, 1, 10_000_000),
    },
    // Demo data (scripts/generate-data.ts, seed-if-empty, db-reset); CLI flags override these.
    demo: {
      seed: r.int("DEMO_SEED", 42, 0, 2 ** 31 - 1),
      flightsPerDay: r.int("DEMO_FLIGHTS_PER_DAY", 3_000, 0, 1_000_000),
      days: r.int("DEMO_DAYS", 3, 1, 366),
      startDate: r.str("DEMO_START_DATE", "2024-02-15"),
    },
    // The stress harness (make stress-test): the services it loads and how long it waits.
    stress: {
      flightUrl: r.url("STRESS_FLIGHT_URL", "http://127.0.0.1:8080", ["http:", "https:"]),
      bookingUrl: r.url("STRESS_BOOKING_URL", "http://127.0.0.1:8081", ["http:", "https:"]),
      paymentUrl: r.url("STRESS_PAYMENT_URL", "http://127.0.0.1:8082", ["http:", "https:"]),
      // Bound on the wait for pending bookings and holds to settle before the invariant checks.
      settleTimeoutSeconds: r.int("STRESS_SETTLE_TIMEOUT_SECONDS", 120, 1, 3_600),
      requestTimeoutSeconds: r.int("STRESS_REQUEST_TIMEOUT_SECONDS", 30, 1, 600),
    },
  };
  if (!isUtcDate(config.demo.startDate)) {
    r.problems.push(`DEMO_START_DATE=${config.demo.startDate}: expected a date YYYY-MM-DD`);
  }
  // The sweeper takes over a pending booking after its deadline: by then the request that
  // started it must have given up on every upstream call, or both would act on it at once.
  const b = config.booking;
  if (b.pendingDeadlineSeconds * 1000 <= b.paymentTimeoutMs + 3 * b.flightTimeoutMs) {
    r.problems.push(
      "BOOKING_PENDING_DEADLINE_SECONDS: expected more than PAYMENT_TIMEOUT_MS + 3 × FLIGHT_TIMEOUT_MS (in seconds)",
    );
  }
  // Node refuses a header deadline beyond the whole request's.
  if (config.http.headersTimeoutMs > config.http.requestTimeoutMs) {
    r.problems.push("HTTP_HEADERS_TIMEOUT_MS: expected at most HTTP_REQUEST_TIMEOUT_MS");
  }
  // A confirm in doubt (booking-svc's call failed; flight-svc's hold stays "confirming") is
  // settled by one rule: booking-svc tries the confirm again, and every try restarts flight-svc's
  // grace (lua/confirm-begin.lua). flight-svc's sweeper settles the hold through the ledger only
  // when no try came for longer than booking-svc can stay away: after a crash, not a slow retry.
  const retryGapMs = Math.max(b.pendingDeadlineSeconds, b.retryMaxSeconds) * 1000 + b.sweepMs + b.flightTimeoutMs;
  if (config.flight.holdSettleGraceMs <= retryGapMs) {
    r.problems.push(
      `HOLD_SETTLE_GRACE_MS=${config.flight.holdSettleGraceMs}: expected more than max(BOOKING_PENDING_DEADLINE_SECONDS, ` +
        `BOOKING_RETRY_MAX_SECONDS) × 1000 + BOOKING_SWEEP_MS + FLIGHT_TIMEOUT_MS = ${retryGapMs}, the longest ` +
        "booking-svc may take to retry a confirm; otherwise flight-svc releases seats booking-svc is still confirming",
    );
  }
  if (config.payment.failureRate + config.payment.timeoutRate > 1) {
    r.problems.push("PAYMENT_FAILURE_RATE + PAYMENT_TIMEOUT_RATE: expected a sum of at most 1");
  }
  if (config.payment.latencyMs === null && config.payment.latencyMinMs > config.payment.latencyMaxMs) {
    r.problems.push("PAYMENT_LATENCY_MIN_MS: expected at most PAYMENT_LATENCY_MAX_MS");
  }
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return config;
}

export type Config = ReturnType<typeof loadConfig>;
