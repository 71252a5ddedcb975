import type { FastifyInstance } from "fastify";
import { buildApp as buildBooking } from "../../booking-svc/app.js";
import { buildApp as buildFlight } from "../../flight-svc/app.js";
import { buildApp as buildPayment } from "../../payment-mock/app.js";
import { buildApp as buildUser } from "../../user-svc/app.js";
import { testBookingConfig, testFlightConfig, testPaymentConfig, testUserConfig } from "./config.js";

/** Every service, built as its server builds it (booking-svc without its periodic sweeper). */
export const SERVICES: { name: string; build: () => Promise<FastifyInstance> }[] = [
  { name: "flight-svc", build: () => buildFlight({ config: testFlightConfig() }) },
  { name: "booking-svc", build: () => buildBooking({ config: testBookingConfig(), sweeper: false }) },
  { name: "payment-mock", build: () => buildPayment({ config: testPaymentConfig() }) },
  // Its signing key lands in the test run's own folder, never in the worktree's .run/keys.
  {
    name: "user-svc",
    build: () => buildUser({ config: testUserConfig({ AUTH_KEY_DIR: `${process.env.RUN_DIR ?? ".run/test"}/keys` }) }),
  },
];
