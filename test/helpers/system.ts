import { type ChildProcess, spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import type { FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import { request } from "undici";
import { buildApp as buildBooking } from "../../booking-svc/app.js";
import type { BookingConfig } from "../../booking-svc/config.js";
import type { SagaHooks } from "../../booking-svc/saga/executor.js";
import { buildApp as buildFlight } from "../../flight-svc/app.js";
import type { FlightConfig } from "../../flight-svc/config.js";
import { projectPath } from "../../lib/paths.js";
import { createSql, type Sql } from "../../lib/postgres-plugin.js";
import { closeRedis, createRedis } from "../../lib/redis-plugin.js";
import { buildApp as buildPayment } from "../../payment-mock/app.js";
import { type Auth, fileAuth } from "./auth.js";
import { CHILD_START_MS, compiledEntry } from "./child-start.js";
import { testBookingConfig, testFlightConfig, testPaymentConfig } from "./config.js";
import { type FlightSeed, seedFlights } from "./flight-svc.js";
import { resetStores } from "./reset.js";

// The three services on 127.0.0.1 (port 0), built with their buildApp and talking over real
// HTTP, plus direct handles on Redis and both databases for setting up and checking state.

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
  body: any;
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** One HTTP call; the body is sent as JSON when given. */
export async function call(
  base: string,
  method: Method,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const res = await request(`${base}${path}`, {
    method,
    headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  let parsed: unknown = null;
  try {
    parsed = text === "" ? null : JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: res.statusCode, headers: res.headers, body: parsed };
}

/** Test settings: payments answer at once and succeed, short deadlines, a quick sweeper. */
export const SYSTEM_ENV: Record<string, string> = {
  PAYMENT_LATENCY_MS: "0",
  PAYMENT_FAILURE_RATE: "0",
  PAYMENT_TIMEOUT_RATE: "0",
  PAYMENT_TIMEOUT_DELAY_MS: "200",
  PAYMENT_TIMEOUT_MS: "1000",
  FLIGHT_TIMEOUT_MS: "1000",
  BOOKING_PENDING_DEADLINE_SECONDS: "5",
  BOOKING_SWEEP_MS: "100",
  HOLD_SWEEP_MS: "100",
};

export interface SystemOptions {
  env?: Record<string, string>;
  /** Settings for booking-svc alone (e.g. LOG_LEVEL for a test that reads its log). */
  bookingEnv?: Record<string, string>;
  hooks?: SagaHooks;
  /** false: booking-svc without its periodic sweeper. */
  sweeper?: boolean;
  logStream?: { write(line: string): void };
  /** Where flight-svc's and payment-mock's log lines go (with LOG_LEVEL set in `env`). */
  upstreamLogStream?: { write(line: string): void };
  /** flight-svc's log lines (at level info) go here. */
  flightLogStream?: { write(line: string): void };
  /** false: only flight-svc and payment-mock (booking-svc runs elsewhere, e.g. as a child). */
  booking?: boolean;
  /**
   * The user-svc whose tokens every service requires (test/helpers/auth.ts); the test file's
   * one (fileAuth) unless given.
   */
  auth?: Auth;
  /**
   * true: AUTH_MODE=off, the open API (user id from the body, no token), for the tests that are
   * about that mode; they say why at their top.
   */
  open?: boolean;
}

export interface System {
  /** Where the callers' tokens come from; null with `open`. */
  auth: Auth | null;
  /** booking-svc's config; flight-svc's is flightConfig. */
  config: BookingConfig;
  flightConfig: FlightConfig;
  flightUrl: string;
  paymentUrl: string;
  bookingUrl: string;
  flight: FastifyInstance;
  payment: FastifyInstance;
  booking: FastifyInstance | null;
  flightsSql: Sql;
  bookingsSql: Sql;
  redis: Redis;
  flightCall(method: Method, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  paymentCall(method: Method, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  bookingCall(method: Method, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  /** payment-mock's record of a booking's charge, looked up by the key booking-svc charges it under (its row's). */
  paymentOf(bookingId: number, headers: Record<string, string>): Promise<Reply>;
  /**
   * The hold id booking-svc gave a booking (its row's, with the nonce made when it was placed),
   * or that of its change `changeNo`'s new legs.
   */
  holdIdOf(bookingId: number, changeNo?: number): Promise<string>;
  /** The booking's ref (contracts/flight-svc/booking-ref.ts): its hold id without "bk-". */
  refOf(bookingId: number): Promise<string>;
  /** Takes flight-svc away (its port refuses connections) and brings it back on the same port. */
  stopFlight(): Promise<void>;
  startFlight(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Resets the stores, seeds `flights` (before flight-svc starts, so its schedule sees them) and
 * starts the services, with AUTH_MODE=required unless `open`; everything is closed on teardown.
 * Calls carry no token unless the test passes one (`sys.auth.customer()` and the like).
 */
export async function startSystem(
  t: { teardown: (fn: () => unknown) => void },
  flights: FlightSeed[],
  given: SystemOptions = {},
): Promise<System & { flightIds: number[] }> {
  // A test that names AUTH_MODE or its own user-svc in `env` has chosen for itself.
  const chosen = given.env?.AUTH_MODE !== undefined || given.env?.USER_SERVICE_URL !== undefined;
  const auth = given.auth ?? (given.open || chosen ? null : await fileAuth());
  const opts = { ...given, env: { ...(auth ? auth.env : { AUTH_MODE: "off" }), ...given.env } };
  const base = testFlightConfig({ ...SYSTEM_ENV, ...opts.env });
  const flightsSql = createSql(base.flightsDatabaseUrl, 4);
  const bookingsSql = createSql(testBookingConfig({ ...SYSTEM_ENV, ...opts.env }).bookingsDatabaseUrl, 4);
  const redis = createRedis(base.redisUrl);
  await resetStores(redis, flightsSql, bookingsSql);
  const flightIds = await seedFlights(flightsSql, flights);

  const flightOptions = opts.flightLogStream
    ? { config: { ...base, logLevel: "info" as const }, logStream: opts.flightLogStream }
    : { config: base, logStream: opts.upstreamLogStream };
  let flight = await buildFlight(flightOptions);
  const flightUrl = await flight.listen({ host: "127.0.0.1", port: 0 });
  const flightPort = Number(new URL(flightUrl).port);
  const payment = await buildPayment({
    config: testPaymentConfig({ ...SYSTEM_ENV, ...opts.env }),
    logStream: opts.upstreamLogStream,
  });
  const paymentUrl = await payment.listen({ host: "127.0.0.1", port: 0 });
  const config = testBookingConfig({
    ...SYSTEM_ENV,
    ...opts.env,
    ...opts.bookingEnv,
    FLIGHT_SERVICE_URL: flightUrl,
    PAYMENT_SERVICE_URL: paymentUrl,
  });

  let booking: FastifyInstance | null = null;
  let bookingUrl = "";
  if (opts.booking !== false) {
    booking = await buildBooking({ config, hooks: opts.hooks, sweeper: opts.sweeper, logStream: opts.logStream });
    bookingUrl = await booking.listen({ host: "127.0.0.1", port: 0 });
  }
  let flightUp = true;
  const system: System & { flightIds: number[] } = {
    auth,
    config,
    flightConfig: base,
    flightIds,
    flightUrl,
    paymentUrl,
    bookingUrl,
    get flight() {
      return flight;
    },
    payment,
    booking,
    flightsSql,
    bookingsSql,
    redis,
    flightCall: (m, p, b, h) => call(flightUrl, m, p, b, h),
    paymentCall: (m, p, b, h) => call(paymentUrl, m, p, b, h),
    bookingCall: (m, p, b, h) => call(bookingUrl, m, p, b, h),
    async paymentOf(bookingId, headers) {
      const [row] = await bookingsSql<{ payment_key: string }[]>`
        SELECT payment_key FROM bookings WHERE id = ${bookingId}`;
      if (!row) throw new Error(`booking ${bookingId} has no row, so no payment key`);
      return call(paymentUrl, "GET", `/api/payments/by-key/${encodeURIComponent(row.payment_key)}`, undefined, headers);
    },
    async holdIdOf(bookingId, changeNo) {
      const [row] = await (changeNo === undefined
        ? bookingsSql<{ hold_id: string }[]>`SELECT hold_id FROM bookings WHERE id = ${bookingId}`
        : bookingsSql<{ hold_id: string }[]>`
            SELECT hold_id FROM booking_changes WHERE booking_id = ${bookingId} AND change_no = ${changeNo}`);
      if (!row)
        throw new Error(`booking ${bookingId} has no row${changeNo ? ` of change ${changeNo}` : ""}, so no hold id`);
      return row.hold_id;
    },
    async refOf(bookingId) {
      return (await this.holdIdOf(bookingId)).slice("bk-".length);
    },
    async stopFlight() {
      if (!flightUp) return;
      flightUp = false;
      await flight.close();
    },
    async startFlight() {
      if (flightUp) return;
      flight = await buildFlight(flightOptions);
      await flight.listen({ host: "127.0.0.1", port: flightPort });
      flightUp = true;
    },
    async close() {
      await booking?.close();
      await Promise.allSettled([flightUp ? flight.close() : Promise.resolve(), payment.close()]);
      await Promise.allSettled([flightsSql.end({ timeout: 5 }), bookingsSql.end({ timeout: 5 })]);
      await closeRedis(redis);
    },
  };
  t.teardown(() => system.close());
  return system;
}

/** `count` bookings of `body` sent at the same moment, the i-th with `headersOf(i)`; the replies in order. */
export function bookAtOnce(
  sys: System,
  count: number,
  body: Record<string, unknown>,
  headersOf: (i: number) => Record<string, string> | undefined,
): Promise<Reply[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) => sys.bookingCall("POST", "/api/bookings", body, headersOf(i))),
  );
}

/** Polls `check` until it returns a truthy value or `ms` pass (then the last value). */
export async function waitFor<T>(check: () => Promise<T>, ms: number, everyMs = 50): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v || Date.now() >= until) return v;
    await sleep(everyMs);
  }
}

export interface Child {
  proc: ChildProcess;
  url: string;
  /** Everything the child wrote to stdout and stderr. */
  output(): string;
}

/** booking-svc as its own process (`node dist-test/booking-svc/server.js`), ready to serve. */
export async function spawnBooking(env: Record<string, string>, port: number): Promise<Child> {
  const proc = spawn(process.execPath, [compiledEntry("booking-svc/server.ts")], {
    cwd: projectPath(),
    // As the in-process builds (config.ts): tokens only where `env` asks for them.
    env: { ...process.env, AUTH_MODE: "off", ...env, BOOKING_PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stdout?.on("data", (d) => {
    out += d;
  });
  proc.stderr?.on("data", (d) => {
    out += d;
  });
  const url = `http://127.0.0.1:${port}`;
  const ready = await waitFor(
    async () => {
      if (proc.exitCode !== null) throw new Error(`booking-svc exited (${proc.exitCode}):\n${out}`);
      return call(url, "GET", "/health").then(
        (r) => r.status === 200,
        () => false,
      );
    },
    CHILD_START_MS,
    100,
  );
  if (!ready) {
    proc.kill("SIGKILL");
    throw new Error(`booking-svc did not become healthy:\n${out}`);
  }
  return { proc, url, output: () => out };
}
