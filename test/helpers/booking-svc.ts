import type { FastifyInstance } from "fastify";
import { buildApp } from "../../booking-svc/app.js";
import type { BookingConfig } from "../../booking-svc/config.js";
import type { SagaHooks } from "../../booking-svc/saga/executor.js";
import type { LogStream } from "../../lib/fastify-options.js";
import { testBookingConfig } from "./config.js";
import { resetStores } from "./reset.js";

export interface BookingBuildOptions {
  /** Settings over the test environment's (FLIGHT_SERVICE_URL and PAYMENT_SERVICE_URL among them). */
  env?: Record<string, string>;
  hooks?: SagaHooks;
  /** false: no periodic recovery sweeper; app.sweeper.sweepOnce() still works. */
  sweeper?: boolean;
  /** false: Redis and bookings_db stay as they are (another instance beside a running one). */
  reset?: boolean;
  logStream?: LogStream;
  /** Listen on 127.0.0.1 (a free port) for tests that talk real HTTP; `url` is then set. */
  listen?: boolean;
}

/**
 * booking-svc built as its server builds it, on the test file's stores (Redis and bookings_db
 * emptied unless `reset` is false); closed on teardown. startSystem (system.ts) builds it beside
 * a real flight-svc and payment-mock.
 */
export async function build(
  t: { teardown: (fn: () => unknown) => void },
  opts: BookingBuildOptions = {},
): Promise<{ app: FastifyInstance; config: BookingConfig; url: string }> {
  const config = testBookingConfig(opts.env);
  const app = await buildApp({ config, hooks: opts.hooks, sweeper: opts.sweeper, logStream: opts.logStream });
  t.teardown(() => app.close());
  await app.ready();
  if (opts.reset !== false) await resetStores(app.redis, app.sql);
  const url = opts.listen ? await app.listen({ host: "127.0.0.1", port: 0 }) : "";
  return { app, config, url };
}
