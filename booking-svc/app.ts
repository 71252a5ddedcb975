import Fastify, { type FastifyInstance } from "fastify";
import type { Config } from "../lib/config.js";
import { installErrorHandler } from "../lib/errors.js";
import { fastifyOptions } from "../lib/fastify-options.js";
import { healthRoutes } from "../lib/health.js";
import { postgresPlugin } from "../lib/postgres-plugin.js";
import { redisPlugin } from "../lib/redis-plugin.js";

export interface BookingAppOptions {
  config: Config;
}

export async function buildApp({ config }: BookingAppOptions): Promise<FastifyInstance> {
  const app = Fastify(fastifyOptions("booking-svc", config.logLevel));
  installErrorHandler(app);

  await app.register(redisPlugin, { url: config.redisUrl });
  await app.register(postgresPlugin, { url: config.bookingsDatabaseUrl, max: config.dbPoolSize });

  healthRoutes(app, "booking-svc", {
    redis: () => app.redis.ping(),
    postgres: () => app.sql`SELECT 1`,
  });
  return app;
}
