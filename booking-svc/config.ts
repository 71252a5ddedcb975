// booking-svc's settings and their rules. flight-svc's settle grace is read here only to check
// booking-svc's own retry timing against it: a bad combination stops booking-svc, not flight-svc.
// flight-svc's minimum connection time is the rule a delayed flight's connections are held to.
import { readHoldSettleGraceMs, readMinConnectionMinutes } from "../flight-svc/config.js";
import { type Env, HTTP_PROTOCOLS, POSTGRES_PROTOCOLS, Reader } from "../lib/config-parse.js";
import { toCents } from "../lib/money.js";
import {
  readDbPoolSize,
  readEventsRetentionHours,
  readFlightServiceUrl,
  readFlightTimeoutMs,
  readRedisClusterNodes,
  readRedisUrl,
  readServerSettings,
  WORKERS,
} from "../lib/server-config.js";

export function readBookingsDatabaseUrl(r: Reader): string {
  return r.url("BOOKINGS_DATABASE_URL", "postgres://skybook@127.0.0.1:5440/bookings_db", POSTGRES_PROTOCOLS);
}

/** Where booking-svc finds the services it calls. */
export function readUpstreamUrls(r: Reader) {
  return {
    flightServiceUrl: readFlightServiceUrl(r),
    paymentServiceUrl: r.url("PAYMENT_SERVICE_URL", "http://127.0.0.1:8082", HTTP_PROTOCOLS),
  };
}

export function loadBookingConfig(env: Env = process.env) {
  const r = new Reader(env);
  const config = {
    ...readServerSettings(r),
    redisUrl: readRedisUrl(r),
    redisClusterNodes: readRedisClusterNodes(r),
    bookingsDatabaseUrl: readBookingsDatabaseUrl(r),
    dbPoolSize: readDbPoolSize(r),
    eventsRetentionHours: readEventsRetentionHours(r),
    // flight-svc's rule for a connection: a delay that breaks it puts the booking at risk.
    minConnectionMinutes: readMinConnectionMinutes(r),
    booking: {
      port: r.int("BOOKING_PORT", 8081, 0, 65535),
      workers: r.intOrAuto("BOOKING_WORKERS", ...WORKERS),
      ...readUpstreamUrls(r),
      flightTimeoutMs: readFlightTimeoutMs(r),
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
      // Circuit breaker of each upstream (clients/breaker.ts).
      breakerFailures: r.int("BOOKING_BREAKER_FAILURES", 10, 1, 1_000),
      breakerHalfOpenMs: r.int("BOOKING_BREAKER_HALF_OPEN_MS", 2_000, 100, 600_000),
      disruptionRetryMs: r.int("DISRUPTION_RETRY_MS", 5_000, 100, 3_600_000),
      // A cancelled flight's bookings cancelled at once (each its own claim, release and refund).
      disruptionConcurrency: r.int("DISRUPTION_CONCURRENCY", 8, 1, 256),
      // Check-in opens this long before each leg's departure and closes this long before it.
      checkinOpensHours: r.int("CHECKIN_OPENS_HOURS", 24, 1, 720),
      checkinClosesMinutes: r.int("CHECKIN_CLOSES_MINUTES", 45, 0, 1_440),
      // A booking paid in miles costs ceil(total × this) miles (up to 4 decimals).
      milesPerUnit: r.num("MILES_PER_UNIT", 1, 0.0001, 100),
      // How often the flown job marks arrived legs flown and earns their miles.
      flownJobMs: r.int("FLOWN_JOB_MS", 60_000, 50, 86_400_000),
      flownBatch: r.int("FLOWN_JOB_BATCH", 200, 1, 10_000),
      // Charged on every change of a booking's flights, on top of the fare difference.
      changeFee: r.num("CHANGE_FEE", 0, 0, 100_000),
    },
  };
  // The sweeper takes over a pending booking after its deadline: by then the request that
  // started it must have given up on every upstream call, or both would act on it at once.
  const b = config.booking;
  if (b.pendingDeadlineSeconds * 1000 <= b.paymentTimeoutMs + 3 * b.flightTimeoutMs) {
    r.problems.push(
      "BOOKING_PENDING_DEADLINE_SECONDS: expected more than PAYMENT_TIMEOUT_MS + 3 × FLIGHT_TIMEOUT_MS (in seconds)",
    );
  }
  if (b.checkinOpensHours * 60 <= b.checkinClosesMinutes) {
    r.problems.push("CHECKIN_CLOSES_MINUTES: expected less than CHECKIN_OPENS_HOURS × 60, or check-in never opens");
  }
  if (toCents(b.changeFee) === null) r.problems.push(`CHANGE_FEE=${b.changeFee}: expected at most two decimals`);
  // Miles are counted in ten-thousandths of MILES_PER_UNIT (clients/miles-client.ts): a fifth
  // decimal would be rounded away, and a booking would cost other miles than the rate says.
  if (Math.round(b.milesPerUnit * 10_000) / 10_000 !== b.milesPerUnit) {
    r.problems.push(`MILES_PER_UNIT=${b.milesPerUnit}: expected at most four decimals`);
  }
  // A confirm in doubt (booking-svc's call failed; flight-svc's hold stays "confirming") is
  // settled by one rule: booking-svc tries the confirm again, and every try restarts flight-svc's
  // grace (lua/confirm-begin.lua). flight-svc's sweeper settles the hold through the ledger only
  // when no try came for longer than booking-svc can stay away: after a crash, not a slow retry.
  const settleGraceMs = readHoldSettleGraceMs(r);
  const retryGapMs = Math.max(b.pendingDeadlineSeconds, b.retryMaxSeconds) * 1000 + b.sweepMs + b.flightTimeoutMs;
  if (settleGraceMs <= retryGapMs) {
    r.problems.push(
      `HOLD_SETTLE_GRACE_MS=${settleGraceMs}: expected more than max(BOOKING_PENDING_DEADLINE_SECONDS, ` +
        `BOOKING_RETRY_MAX_SECONDS) × 1000 + BOOKING_SWEEP_MS + FLIGHT_TIMEOUT_MS = ${retryGapMs}, the longest ` +
        "booking-svc may take to retry a confirm; otherwise flight-svc releases seats booking-svc is still confirming",
    );
  }
  return r.done(config);
}

export type BookingConfig = ReturnType<typeof loadBookingConfig>;
