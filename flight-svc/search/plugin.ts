import fp from "fastify-plugin";
import type { FlightConfig } from "../config.js";
import { registerSearchMetrics } from "./prometheus.js";
import { SearchService } from "./service.js";

declare module "fastify" {
  interface FastifyInstance {
    /** `app.search` is taken: Fastify 5 routes the HTTP SEARCH method with it. */
    flightSearch: SearchService;
  }
}

export interface SearchPluginOptions {
  config: FlightConfig;
}

/** The search service over the timetable, with live seats from the inventory. */
export const searchPlugin = fp<SearchPluginOptions>(
  async (app, { config }) => {
    const service = new SearchService({
      redis: app.redis,
      timetable: app.timetable,
      seats: (ids) => app.inventory.availableSeats(ids),
      rules: {
        minConnectionMinutes: config.flight.minConnectionMinutes,
        maxLayoverMinutes: config.flight.maxLayoverMinutes,
      },
      cache: { lruSize: config.flight.searchLruSize, ttlSeconds: config.flight.searchCacheTtlSeconds },
    });
    registerSearchMetrics(app.metrics, { metrics: () => service.metrics(), engineSeconds: () => service.engineTime() });
    app.decorate("flightSearch", service);
  },
  { name: "search", dependencies: ["redis", "timetable", "inventory", "metrics"] },
);
