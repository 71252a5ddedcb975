import type { Redis } from "ioredis";
import type { SeatCounters } from "./counters.js";
import type { FlightMetaCache } from "./flight-meta.js";
import type { Ledger } from "./ledger.js";

/** What the inventory's operations share. */
export interface InventoryContext {
  redis: Redis;
  ledger: Ledger;
  counters: SeatCounters;
  meta: FlightMetaCache;
  /** How long a confirm or cancel may take before the sweeper asks the ledger how it ended. */
  graceMs: number;
  /** How long an ended hold stays answerable. */
  tombstoneMs: number;
}

export const legsOf = (csv: string): number[] => csv.split(",").map(Number);
