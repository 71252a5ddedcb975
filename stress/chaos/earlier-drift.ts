import type { Sql } from "../../lib/postgres-plugin.js";
import type { RedisClient } from "../../lib/redis-plugin.js";
import { reconcile } from "../../scripts/reconcile.js";
import { driftBeforeRun, shownDrift } from "../invariants/before-run.js";

/**
 * `make chaos` keeps its stores from one invocation to the next, so a run that failed its seat
 * check left a drift that every later run would fail on too. The system is the harness's own:
 * the drift is named and repaired, as `make reconcile` repairs it, before the first fault.
 */
export async function repairEarlierDrift(
  stores: { flightsSql: Sql; redis: RedisClient },
  config: Parameters<typeof reconcile>[0],
  settleSeconds: number,
  say: (line: string) => void,
): Promise<void> {
  const drift = await driftBeforeRun(stores, settleSeconds);
  if (drift.length === 0) return;
  const shown = shownDrift(drift).join("; ");
  say(`chaos: seat counters drifted before the first run (an earlier run's, not this one's): ${shown}`);
  const report = await reconcile(config, true);
  say(`chaos: ${report.repaired} of ${report.drift.length} drifted counters repaired, as make reconcile does`);
  if (report.repaired < report.drift.length) throw new Error("the seat counters' drift could not be repaired");
}
