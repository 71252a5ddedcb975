import fp from "fastify-plugin";
import { eventAppender } from "../../lib/events/append-event.js";
import type { FlightConfig } from "../config.js";
import { EventRelay } from "./event-relay.js";
import { FlightsService } from "./service.js";

declare module "fastify" {
  interface FastifyInstance {
    flights: FlightsService;
    eventRelay: EventRelay;
  }
}

/**
 * Flight reads and changes, between PostgreSQL, the seat inventory and the timetable; the relay
 * that moves each change's event from the outbox to the events stream.
 */
export const flightsPlugin = fp<{ config: FlightConfig }>(
  async (app, { config }) => {
    const relay = new EventRelay(
      app.sql,
      eventAppender(app.redis, config.eventsRetentionHours),
      { intervalMs: config.flight.eventRelayMs, retentionHours: config.eventsRetentionHours },
      app.log.child({ component: "event-relay" }),
    );
    app.decorate("eventRelay", relay);
    app.decorate(
      "flights",
      new FlightsService({
        sql: app.sql,
        inventory: app.inventory,
        timetable: app.timetable,
        onChanged: () => relay.nudge(),
      }),
    );
    app.addHook("onReady", async () => relay.start());
    app.addHook("onClose", async () => relay.stop());
  },
  { name: "flights", dependencies: ["redis", "postgres", "inventory", "timetable"] },
);
