import fp from "fastify-plugin";
import type { FlightConfig } from "../config.js";
import { Timetable } from "./timetable.js";

declare module "fastify" {
  interface FastifyInstance {
    timetable: Timetable;
  }
}

export interface TimetablePluginOptions {
  config: FlightConfig;
}

/** The in-memory timetable: read before the app is ready, refreshed periodically, stopped on close. */
export const timetablePlugin = fp<TimetablePluginOptions>(
  async (app, { config }) => {
    const timetable = new Timetable({
      redis: app.redis,
      sql: app.sql,
      refreshMs: config.flight.scheduleRefreshMs,
      log: app.log.child({ component: "timetable" }),
    });
    app.decorate("timetable", timetable);
    // On ready, once the stores are connected; app.ts lifts the timeout a large timetable outlasts.
    app.addHook("onReady", () => timetable.start());
    app.addHook("onClose", () => timetable.stop());
  },
  { name: "timetable", dependencies: ["redis", "postgres"] },
);
