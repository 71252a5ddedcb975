import type { FastifyInstance } from "fastify";
import { buildApp as buildBooking } from "../../booking-svc/app.js";
import { buildApp as buildFlight } from "../../flight-svc/app.js";
import type { LogStream } from "../../lib/fastify-options.js";
import { buildApp as buildPayment } from "../../payment-mock/app.js";
import { buildApp as buildUser } from "../../user-svc/app.js";
import { testBookingConfig, testFlightConfig, testPaymentConfig, testUserConfig } from "./config.js";

export interface ServiceBuildOptions {
  /** Settings over the test environment's. */
  env?: Record<string, string>;
  /** Where the service's log lines go (none by default: tests log nothing). */
  logStream?: LogStream;
}

/** Every service, built as its server builds it (booking-svc without its periodic sweeper). */
export const SERVICES: { name: string; build: (opts?: ServiceBuildOptions) => Promise<FastifyInstance> }[] = [
  {
    name: "flight-svc",
    build: ({ env, logStream } = {}) => buildFlight({ config: testFlightConfig(env), logStream }),
  },
  {
    name: "booking-svc",
    build: ({ env, logStream } = {}) => buildBooking({ config: testBookingConfig(env), sweeper: false, logStream }),
  },
  {
    name: "payment-mock",
    build: ({ env, logStream } = {}) => buildPayment({ config: testPaymentConfig(env), logStream }),
  },
  // Its signing key lands in the test run's own folder, never in the worktree's .run/keys.
  {
    name: "user-svc",
    build: ({ env, logStream } = {}) =>
      buildUser({
        config: testUserConfig({ AUTH_KEY_DIR: `${process.env.RUN_DIR ?? ".run/test"}/keys`, ...env }),
        logStream,
      }),
  },
];
