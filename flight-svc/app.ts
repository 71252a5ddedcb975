import Fastify, { type FastifyInstance } from "fastify";
import type { Config } from "../lib/config.js";
import { installErrorHandler } from "../lib/errors.js";
import { fastifyOptions } from "../lib/fastify-options.js";
import { healthRoutes } from "../lib/health.js";
import { installJsonNewline } from "../lib/json-newline.js";
import { postgresPlugin } from "../lib/postgres-plugin.js";
import { redisPlugin } from "../lib/redis-plugin.js";
import { installStrictInput } from "../lib/strict-input.js";
import { inventoryPlugin } from "./inventory/plugin.js";
import { adminRoutes } from "./routes/admin.js";
import { flightRoutes } from "./routes/flights.js";
import { holdRoutes } from "./routes/holds.js";
import { searchRoutes } from "./routes/search.js";
import { seatRoutes } from "./routes/seats.js";
import { searchPlugin } from "./search/plugin.js";

export interface FlightAppOptions {
  config: Config;
}

export async function buildApp({ config }: FlightAppOptions): Promise<FastifyInstance> {
  const app = Fastify(fastifyOptions("flight-svc", config));
  installErrorHandler(app);
  installJsonNewline(app);
  installStrictInput(app);

  await app.register(redisPlugin, { url: config.redisUrl });
  await app.register(postgresPlugin, { url: config.flightsDatabaseUrl, max: config.dbPoolSize });
  await app.register(inventoryPlugin, { config });
  await app.register(searchPlugin, { config });

  await app.register(holdRoutes);
  await app.register(seatRoutes);
  await app.register(adminRoutes);
  await app.register(searchRoutes);
  await app.register(flightRoutes);

  healthRoutes(app, "flight-svc", {
    redis: () => app.redis.ping(),
    postgres: () => app.sql`SELECT 1`,
  });
  return app;
}
