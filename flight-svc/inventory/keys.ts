// Every Redis key of the seat inventory is built here, under one prefix. Each key carries the
// hash tag of what it belongs to, so that on Redis Cluster every script and multi-key command
// stays inside one slot: a flight's keys share {f:<id>}; a hold's record shares {h:<shard>} with
// the expiry index of its shard, so the steps that touch both (confirm-begin, a record's end)
// stay single-slot while the sweeper reads HOLD_SHARDS small indexes instead of every flight.

const PREFIX = "inv:";

/** Matches every inventory key and nothing else (SCAN MATCH). */
export const INVENTORY_KEY_PATTERN = `${PREFIX}*`;

/** Expiry indexes: enough to spread holds over the masters of a large cluster, few enough to read all. */
export const HOLD_SHARDS = 16;

/** The shard of a hold id: FNV-1a of its characters, stable across processes and versions. */
export function holdShard(holdId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < holdId.length; i++) {
    h ^= holdId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % HOLD_SHARDS;
}

export const keys = {
  /** Seats free right now on a flight (total − confirmed − live holds). */
  seatsAvailable: (flightId: number | string) => `${PREFIX}{f:${flightId}}:available`,
  /** Hash hold_id → seats of the live holds on one flight. */
  flightHolds: (flightId: number | string) => `${PREFIX}{f:${flightId}}:holds`,
  /** Hash op_id → seats that PostgreSQL gives back (cancel, increment) and the counter has not yet. */
  flightReturns: (flightId: number | string) => `${PREFIX}{f:${flightId}}:returns`,
  /** Bumped by every Redis step that follows a PostgreSQL commit: counter initialisation retries on a change. */
  seatsEpoch: (flightId: number | string) => `${PREFIX}{f:${flightId}}:epoch`,
  /** Present while a counter initialisation runs: the steps that bump the epoch wait for it. */
  seatsInitLock: (flightId: number | string) => `${PREFIX}{f:${flightId}}:initing`,
  /**
   * Hash seat → "<booking ref>:<passenger>:<claimed at ms>" of the seats assigned at check-in; "_"
   * once loaded. Before flights_db's migration 010 the maps were `…:seatmap`, owned by booking ids.
   */
  seatMap: (flightId: number | string) => `${PREFIX}{f:${flightId}}:assigned`,
  /** One hold: its legs, seats, state and expiry. */
  hold: (holdId: string) => `${PREFIX}{h:${holdShard(holdId)}}:hold:${holdId}`,
  /** Sorted set of the pending hold ids of one shard by the time (ms) the sweeper acts on them. */
  holdExpiries: (holdId: string) => shardExpiries(holdShard(holdId)),
};

/** The expiry index of one shard (the sweeper reads every shard). */
export const shardExpiries = (shard: number) => `${PREFIX}{h:${shard}}:expiries`;
