/** Counters of the search path, read by tests, the bench and GET /api/flights/search/metrics. */
export interface SearchMetrics {
  searches: number;
  /** Engine runs that filled the cache (one per miss, both sorts). */
  engine_runs: number;
  /** Engine runs because seats filtering left too few cached candidates. */
  engine_reruns: number;
  l1_hits: number;
  l2_hits: number;
  misses: number;
  /** Requests that waited for the same computation in this process. */
  coalesced_local: number;
  /** Requests that waited for another instance holding the Redis lock. */
  coalesced_remote: number;
  /** Waits for another instance that timed out, after which this one computed. */
  lock_timeouts: number;
  /** Redis reads of seat counters; concurrent searches share one. */
  seat_reads: number;
  schedule_version: string;
  schedule_flights: number;
  schedule_refreshes: number;
}

export type Counter = Exclude<keyof SearchMetrics, "schedule_version" | "schedule_flights">;

export function emptyCounters(): Record<Counter, number> {
  return {
    searches: 0,
    engine_runs: 0,
    engine_reruns: 0,
    l1_hits: 0,
    l2_hits: 0,
    misses: 0,
    coalesced_local: 0,
    coalesced_remote: 0,
    lock_timeouts: 0,
    seat_reads: 0,
    schedule_refreshes: 0,
  };
}
