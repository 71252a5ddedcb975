import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import type { LogStream } from "../lib/fastify-options.js";
import { healthRoutes } from "../lib/health.js";
import { postgresPlugin } from "../lib/postgres-plugin.js";
import { redisPlugin } from "../lib/redis-plugin.js";
import { redisWritable } from "../lib/redis-readiness.js";
import { createServiceApp } from "../lib/service-app.js";
import { checkInPlugin } from "./check-in/plugin.js";
import type { BookingConfig } from "./config.js";
import { bookingExamples } from "./openapi-examples.js";
import { bookingPlugin } from "./plugin.js";
import { bookingRoutes } from "./routes/bookings.js";
import { changeRoutes } from "./routes/change.js";
import { checkInRoutes } from "./routes/check-in.js";
import type { SagaHooks } from "./saga/executor.js";

export interface BookingAppOptions {
  config: BookingConfig;
  /** Test hooks into the saga executor (e.g. stop flight-svc between payment and confirm). */
  hooks?: SagaHooks;
  /** false: no periodic recovery sweeper; app.sweeper.sweepOnce() still works. */
  sweeper?: boolean;
  /** false: no disruption consumer; app.disruption.pollOnce() still works. */
  disruption?: boolean;
  /** false: no periodic flown job; app.flownJob.runOnce() still works. */
  flown?: boolean;
  /** The flown job's clock, for tests and stress scenarios that fly legs ahead of time. */
  flownClock?: () => Date;
  logStream?: LogStream;
}

export async function buildApp({
  config,
  hooks,
  sweeper,
  disruption,
  flown,
  flownClock,
  logStream,
}: BookingAppOptions): Promise<FastifyInstance> {
  const app = (
    await createServiceApp(
      "booking-svc",
      config,
      {
        description:
          "Bookings: a saga that holds seats on flight-svc, charges through payment-mock and confirms, or compensates.",
        examples: bookingExamples,
      },
      { logStream },
    )
  ).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(redisPlugin, { url: config.redisUrl, clusterNodes: config.redisClusterNodes });
  await app.register(postgresPlugin, { url: config.bookingsDatabaseUrl, max: config.dbPoolSize });
  await app.register(bookingPlugin, { config, hooks, sweeper, disruption, flown, flownClock });
  await app.register(checkInPlugin, { config });

  healthRoutes(app, "booking-svc", {
    redis: redisWritable(app.redis, "booking-svc"),
    postgres: () => app.sql`SELECT 1`,
  });
  await app.register(bookingRoutes);
  await app.register(checkInRoutes);
  await app.register(changeRoutes);
  return app;
}
