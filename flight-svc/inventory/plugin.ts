import fp from "fastify-plugin";
import type { Config } from "../../lib/config.js";
import { SeatCounters } from "./counters.js";
import { defineInventoryCommands } from "./scripts.js";

export interface Inventory {
  availableSeats(flightIds: number[]): Promise<(number | null)[]>;
  adjustTotalSeats(flightId: number, delta: number): Promise<void>;
}

declare module "fastify" {
  interface FastifyInstance {
    inventory: Inventory;
  }
}

/** Seat inventory: counters and holds in Redis (lua/), durable seats in PostgreSQL. */
export interface InventoryPluginOptions {
  config: Config;
}

export const inventoryPlugin = fp<InventoryPluginOptions>(
  async (app) => {
    defineInventoryCommands(app.redis);
    const counters = new SeatCounters(app.redis, app.sql);
    app.decorate("inventory", {
      availableSeats: (ids: number[]) => counters.availableSeats(ids),
      adjustTotalSeats: (id: number, delta: number) => counters.adjustTotalSeats(id, delta),
    });
  },
  { name: "inventory", dependencies: ["redis", "postgres"] },
);
