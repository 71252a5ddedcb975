// Every Redis key name is built here. Keys of one flight share the hash tag {f:<id>} so the
// layout can move to Redis Cluster unchanged; each concern has its own prefix.

export const keys = {
  /** Seats free right now on a flight (total − confirmed − live holds). */
  seatsAvailable: (flightId: number | string) => `inv:{f:${flightId}}:available`,
  /** Hash hold_id → seats of the live holds on one flight. */
  flightHolds: (flightId: number | string) => `inv:{f:${flightId}}:holds`,
  /** Hash op_id → seats that PostgreSQL gives back (cancel, increment) and the counter has not yet. */
  flightReturns: (flightId: number | string) => `inv:{f:${flightId}}:returns`,
  /** Bumped by every Redis step that follows a PostgreSQL commit: counter initialisation retries on a change. */
  seatsEpoch: (flightId: number | string) => `inv:{f:${flightId}}:epoch`,
  /** Present while a counter initialisation runs: the steps that bump the epoch wait for it. */
  seatsInitLock: (flightId: number | string) => `inv:{f:${flightId}}:initing`,
  /** One hold: its legs, seats, state and expiry. */
  hold: (holdId: string) => `inv:hold:${holdId}`,
  /** Sorted set of pending hold ids by expiry time (ms), read by the sweeper. */
  holdExpiries: () => "inv:holds:expiries",

  /** Bumped on every schedule change; part of every search cache key. */
  scheduleVersion: () => "search:schedule-version",
  searchResult: (version: number | string, source: string, destination: string, date: string, maxStops: number) =>
    `search:v${version}:${source}:${destination}:${date}:${maxStops}`,
  searchLock: (resultKey: string) => `lock:${resultKey}`,

  /** The temporary booking kept while its hold lives. */
  tempBooking: (bookingId: number | string) => `booking:temp:${bookingId}`,
  idempotency: (key: string) => `idem:booking:${key}`,
};
