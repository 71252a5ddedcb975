import type { FastifyInstance } from "fastify";
import { buildApp as buildBooking } from "../../booking-svc/app.js";
import { buildApp as buildFlight } from "../../flight-svc/app.js";
import { buildApp as buildPayment } from "../../payment-mock/app.js";
import { testBookingConfig, testFlightConfig, testPaymentConfig } from "./config.js";

/** Every service, built as its server builds it (booking-svc without its periodic sweeper). */
export const SERVICES: { name: string; build: () => Promise<FastifyInstance> }[] = [
  { name: "flight-svc", build: () => buildFlight({ config: testFlightConfig() }) },
  { name: "booking-svc", build: () => buildBooking({ config: testBookingConfig(), sweeper: false }) },
  { name: "payment-mock", build: () => buildPayment({ config: testPaymentConfig() }) },
];
