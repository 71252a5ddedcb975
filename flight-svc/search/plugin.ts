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

/** The search service: reads the timetable before the app is ready, refreshes it, stops on close. */
export const searchPlugin = fp<SearchPluginOptions>(
  async (app, { config }) => {
    const service = new SearchService({
      redis: app.redis,
      sql: app.sql,
      seats: (ids) => app.inventory.availableSeats(ids),
      rules: {
        minConnectionMinutes: config.flight.minConnectionMinutes,
        maxLayoverMinutes: config.flight.maxLayoverMinutes,
      },
      cache: { lruSize: config.flight.searchLruSize, ttlSeconds: config.flight.searchCacheTtlSeconds },
      refreshMs: config.flight.scheduleRefreshMs,
      log: app.log.child({ component: "search" }),
    });
    registerSearchMetrics(app.metrics, service);
    app.decorate("flightSearch", service);
    // On ready rather than here: reading a large timetable may outlast the plugin timeout.
    app.addHook("onReady", () => service.start());
    app.addHook("onClose", () => service.stop());
  },
  { name: "search", dependencies: ["redis", "postgres", "inventory", "metrics"] },
);
