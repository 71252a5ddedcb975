import type { FastifyInstance } from "fastify";
import type { LogStream } from "../lib/fastify-options.js";
import { healthRoutes } from "../lib/health.js";
import { postgresPlugin } from "../lib/postgres-plugin.js";
import { redisPlugin } from "../lib/redis-plugin.js";
import { redisWritable } from "../lib/redis-readiness.js";
import { createServiceApp } from "../lib/service-app.js";
import type { FlightConfig } from "./config.js";
import { flightsPlugin } from "./flights/plugin.js";
import { inventoryPlugin } from "./inventory/plugin.js";
import { flightExamples } from "./openapi-examples.js";
import { adminRoutes } from "./routes/admin.js";
import { flightRoutes } from "./routes/flights.js";
import { holdRoutes } from "./routes/holds.js";
import { searchRoutes } from "./routes/search.js";
import { seatingRoutes } from "./routes/seating.js";
import { seatRoutes } from "./routes/seats.js";
import { searchPlugin } from "./search/plugin.js";
import { timetablePlugin } from "./search/timetable-plugin.js";

export interface FlightAppOptions {
  config: FlightConfig;
  logStream?: LogStream;
}

export async function buildApp({ config, logStream }: FlightAppOptions): Promise<FastifyInstance> {
  const app = await createServiceApp(
    "flight-svc",
    config,
    {
      description: "Flight search (direct and up to 3 stops, live seats), flights, seat inventory and holds.",
      examples: flightExamples,
    },
    // flight-svc calls no other service, and its request-time warnings go through the
    // request's logger: it needs no async context, and on Node 20 that spares every request.
    // Reading the timetable at start grows with the schedule (about 6 s for 1,000,000 flights
    // on a quiet machine, over 10 s on a busy one): no timeout, or a big schedule could never
    // start. Redis and PostgreSQL bound their own connects.
    { logStream, requestContext: false, pluginTimeoutMs: 0 },
  );

  await app.register(redisPlugin, { url: config.redisUrl, clusterNodes: config.redisClusterNodes });
  await app.register(postgresPlugin, { url: config.flightsDatabaseUrl, max: config.dbPoolSize });
  await app.register(inventoryPlugin, { config });
  await app.register(timetablePlugin, { config });
  await app.register(searchPlugin, { config });
  await app.register(flightsPlugin, { config });

  await app.register(holdRoutes);
  await app.register(seatRoutes);
  await app.register(seatingRoutes);
  await app.register(adminRoutes);
  await app.register(searchRoutes);
  await app.register(flightRoutes);

  healthRoutes(app, "flight-svc", {
    redis: redisWritable(app.redis, "flight-svc"),
    postgres: () => app.sql`SELECT 1`,
  });
  return app;
}
