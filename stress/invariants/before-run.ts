import { setTimeout as sleep } from "node:timers/promises";
import type { Sql } from "../../lib/postgres-plugin.js";
import type { RedisClient } from "../../lib/redis-plugin.js";
import { flightRows, heldSeats, seatCounters } from "./reads.js";
import { type CounterDrift, counterDrift, describeDrift } from "./seats.js";

// Drift already in the data when a run starts (an earlier run killed half-way, a Redis failover)
// fails the seat check of every scenario, which checks every flight, and the report blamed the
// run. So the same check runs once before any load, and a run on drifted data does not start.

const POLL_MS = 250;
// A booking in flight moves a counter and its hold, or the hold and PostgreSQL, within
// milliseconds of each other; figures unchanged this long are not a booking in flight.
const STEADY_MS = 5_000;
const SHOWN = 5;

/** The first few drifting flights described, and how many more there are. */
export function shownDrift(drift: CounterDrift[]): string[] {
  const shown = drift.slice(0, SHOWN).map(describeDrift);
  if (drift.length > SHOWN) shown.push(`… ${drift.length - SHOWN} more`);
  return shown;
}

function driftMessage(drift: CounterDrift[], cluster: boolean): string {
  const repair = cluster
    ? "`scripts/cluster.sh run make reconcile` (the system of `make cluster-up`, with the same CLUSTER_* settings)"
    : "`make reconcile` (with the REDIS_PORT and PG_PORT, or REDIS_URL and FLIGHTS_DATABASE_URL, of the system)";
  return [
    "the seat counters drift before the run, so no load was sent (the drift is not this run's): " +
      `on ${drift.length} flight${drift.length === 1 ? "" : "s"} Redis' available seats ≠ total − confirmed − held`,
    ...shownDrift(drift).map((line) => `  ${line}`),
    `Repair it with ${repair}; ARGS=--dry-run only reports. Then run again.`,
  ].join("\n");
}

export class DriftBeforeRun extends Error {
  override name = "DriftBeforeRun";

  constructor(
    readonly drift: CounterDrift[],
    cluster: boolean,
  ) {
    super(driftMessage(drift, cluster));
  }
}

/**
 * The flights whose counter is not total − confirmed − held, counting live holds as the check
 * after each scenario does. Waits (bounded, as that check does) while the figures move: a flight
 * is drift once its figures held still for STEADY_MS, or when the bound ends.
 */
export async function driftBeforeRun(
  stores: { flightsSql: Sql; redis: RedisClient },
  settleTimeoutSeconds: number,
): Promise<CounterDrift[]> {
  const deadline = performance.now() + settleTimeoutSeconds * 1000;
  const since = new Map<number, { figures: string; at: number }>();
  for (;;) {
    const held = await heldSeats(stores.redis);
    const counters = await seatCounters(stores.redis);
    const drift = counterDrift(counters, await flightRows(stores.flightsSql, [...counters.keys()]), held);
    const now = performance.now();
    const seen = new Map(drift.map((d) => [d.id, `${d.redis} ${d.expected} ${d.held}`]));
    for (const id of since.keys()) if (!seen.has(id)) since.delete(id);
    for (const [id, figures] of seen) {
      if (since.get(id)?.figures !== figures) since.set(id, { figures, at: now });
    }
    const steady = [...since.values()].every((s) => now - s.at >= STEADY_MS);
    if (drift.length === 0 || steady || now > deadline) return drift.sort((a, b) => a.id - b.id);
    await sleep(POLL_MS);
  }
}
