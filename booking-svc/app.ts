import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyInstance } from "fastify";
import { installErrorHandler } from "../lib/errors.js";
import { fastifyOptions, type LogStream } from "../lib/fastify-options.js";
import { healthRoutes } from "../lib/health.js";
import { installJsonNewline } from "../lib/json-newline.js";
import { observabilityPlugin } from "../lib/observability.js";
import { postgresPlugin } from "../lib/postgres-plugin.js";
import { redisPlugin } from "../lib/redis-plugin.js";
import { installStrictInput } from "../lib/strict-input.js";
import type { BookingConfig } from "./config.js";
import { bookingExamples } from "./openapi-examples.js";
import { bookingPlugin } from "./plugin.js";
import { bookingRoutes } from "./routes/bookings.js";
import type { SagaHooks } from "./saga/executor.js";

export interface BookingAppOptions {
  config: BookingConfig;
  /** Test hooks into the saga executor (e.g. stop flight-svc between payment and confirm). */
  hooks?: SagaHooks;
  /** false: no periodic recovery sweeper; app.sweeper.sweepOnce() still works. */
  sweeper?: boolean;
  logStream?: LogStream;
}

export async function buildApp({ config, hooks, sweeper, logStream }: BookingAppOptions): Promise<FastifyInstance> {
  const app = Fastify(fastifyOptions("booking-svc", config, logStream)).withTypeProvider<TypeBoxTypeProvider>();
  installErrorHandler(app);
  installJsonNewline(app);
  installStrictInput(app);
  await app.register(observabilityPlugin, {
    service: "booking-svc",
    description:
      "Bookings: a saga that holds seats on flight-svc, charges through payment-mock and confirms, or compensates.",
    examples: bookingExamples,
    metrics: config.metrics,
  });

  await app.register(redisPlugin, { url: config.redisUrl });
  await app.register(postgresPlugin, { url: config.bookingsDatabaseUrl, max: config.dbPoolSize });
  await app.register(bookingPlugin, { config, hooks, sweeper });

  healthRoutes(app, "booking-svc", {
    redis: () => app.redis.ping(),
    postgres: () => app.sql`SELECT 1`,
  });
  await app.register(bookingRoutes);
  return app;
}
