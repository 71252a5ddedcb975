import { Type } from "@sinclair/typebox";

const n = Type.Integer();

export const MetricsBody = Type.Object({
  searches: n,
  engine_runs: n,
  engine_reruns: n,
  l1_hits: n,
  l2_hits: n,
  misses: n,
  coalesced_local: n,
  coalesced_remote: n,
  lock_timeouts: n,
  seat_reads: n,
  schedule_version: Type.String(),
  schedule_flights: n,
  schedule_refreshes: n,
});
