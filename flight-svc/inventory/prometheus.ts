import type { Registry } from "prom-client";
import { counterFrom, gaugeFrom, labelledCounterFrom } from "../../lib/metrics.js";
import type { RedisClient } from "../../lib/redis-plugin.js";
import type { SeatCounters } from "./counters.js";
import { pendingHoldCount } from "./expiry-index.js";
import type { GroupCommit } from "./group-commit.js";
import type { InventoryStats } from "./stats.js";
import type { Sweeper } from "./sweeper.js";

export interface InventoryMetricSources {
  stats: InventoryStats;
  counters: SeatCounters;
  sweeper: Sweeper;
  groupCommit: GroupCommit;
  redis: RedisClient;
}

/** Holds, confirms, releases, sweeper and reconcile activity; the live holds from Redis. */
export function registerInventoryMetrics(registry: Registry, src: InventoryMetricSources): void {
  const { stats } = src;
  labelledCounterFrom(
    registry,
    "skybook_inventory_holds_total",
    "Hold requests by outcome: placed, or the error they were refused with.",
    "outcome",
    () => stats.holds.snapshot(),
  );
  labelledCounterFrom(
    registry,
    "skybook_inventory_confirms_total",
    "Hold confirmations by outcome: confirmed, or the error they were refused with.",
    "outcome",
    () => stats.confirms.snapshot(),
  );
  labelledCounterFrom(
    registry,
    "skybook_inventory_releases_total",
    "Holds given back on request: released (a live hold) or cancelled (a confirmed one).",
    "outcome",
    () => stats.releases.snapshot(),
  );
  labelledCounterFrom(
    registry,
    "skybook_inventory_sweeper_reaped_total",
    "Holds the sweeper reaped: expired (seats given back) or settled (a confirm or cancel whose caller died).",
    "result",
    () => ({ expired: src.sweeper.totals.expired, settled: src.sweeper.totals.settled }),
  );
  counterFrom(
    registry,
    "skybook_inventory_counter_inits_total",
    "Seat counters rebuilt from PostgreSQL because Redis had none.",
    () => src.counters.initialised,
  );
  // Confirms per transaction = confirms_total ÷ batches_total; a hot flight shows far more than 1.
  counterFrom(
    registry,
    "skybook_inventory_confirm_batches_total",
    "Ledger transactions that committed a batch of confirms (group commit).",
    () => src.groupCommit.totals.batches,
  );
  counterFrom(
    registry,
    "skybook_inventory_confirm_batched_total",
    "Confirms written to the ledger by those batch transactions.",
    () => src.groupCommit.totals.confirms,
  );
  counterFrom(
    registry,
    "skybook_inventory_confirm_batch_fallbacks_total",
    "Batches refused as a whole (a member could not be booked, or PostgreSQL failed) and retried confirm by confirm.",
    () => src.groupCommit.totals.fallbacks,
  );
  // Finish scripts per batch: one per leg set on one Redis node, where each confirm would otherwise run its own.
  counterFrom(
    registry,
    "skybook_inventory_confirm_finish_batches_total",
    "Leg sets of committed batches whose confirms ended in Redis with one script for the leg set.",
    () => src.groupCommit.totals.finishes,
  );
  counterFrom(registry, "skybook_inventory_reconcile_runs_total", "Reconcile runs.", () => stats.reconcileRuns);
  // Each worker knows only the runs it made; of their last runs, the worst.
  gaugeFrom(
    registry,
    "skybook_inventory_reconcile_drift_flights",
    "Flights whose seat counter differed from PostgreSQL at the last reconcile run.",
    "max",
    () => stats.lastDrift,
  );
  // Every live hold (and every confirm or cancel in progress) has one entry here until reaped;
  // every worker reads the same Redis.
  gaugeFrom(registry, "skybook_inventory_active_holds", "Holds not yet confirmed, released or expired.", "max", () =>
    pendingHoldCount(src.redis),
  );
}
