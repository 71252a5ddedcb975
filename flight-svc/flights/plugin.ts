import fp from "fastify-plugin";
import { FlightsService } from "./service.js";

declare module "fastify" {
  interface FastifyInstance {
    flights: FlightsService;
  }
}

/** Flight reads and changes, between PostgreSQL, the seat inventory and the timetable. */
export const flightsPlugin = fp(
  async (app) => {
    app.decorate(
      "flights",
      new FlightsService({
        sql: app.sql,
        inventory: app.inventory,
        timetable: app.timetable,
        log: app.log.child({ component: "flights" }),
      }),
    );
  },
  { name: "flights", dependencies: ["postgres", "inventory", "timetable"] },
);
