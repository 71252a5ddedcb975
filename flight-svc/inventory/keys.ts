// Every Redis key of the seat inventory is built here, under one prefix. Keys of one flight share
// the hash tag {f:<id>} so the layout can move to Redis Cluster unchanged.

const PREFIX = "inv:";

/** Matches every inventory key and nothing else (SCAN MATCH). */
export const INVENTORY_KEY_PATTERN = `${PREFIX}*`;

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
  /** One hold: its legs, seats, state and expiry. */
  hold: (holdId: string) => `${PREFIX}hold:${holdId}`,
  /** Sorted set of pending hold ids by expiry time (ms), read by the sweeper. */
  holdExpiries: () => `${PREFIX}holds:expiries`,
};
