import { AppError } from "../../lib/errors.js";
import { Tally } from "../../lib/tally.js";

/** Outcomes of the inventory's operations in this process, read by /metrics. */
export class InventoryStats {
  readonly holds = new Tally<string>(["placed", "not_enough_seats"]);
  readonly confirms = new Tally<string>(["confirmed"]);
  readonly releases = new Tally<string>(["released", "cancelled"]);
  reconcileRuns = 0;
  /** Flights whose counter differed from PostgreSQL at the last reconcile. */
  lastDrift = 0;
  driftFound = 0;

  /** Counts how `run` ended: `outcome(result)`, or the catalogue code it failed with. */
  async count<T>(tally: Tally<string>, outcome: (r: T) => string, run: Promise<T>): Promise<T> {
    try {
      const r = await run;
      tally.add(outcome(r));
      return r;
    } catch (err) {
      tally.add(err instanceof AppError ? err.code : "error");
      throw err;
    }
  }

  recordReconcile(drifted: number): void {
    this.reconcileRuns++;
    this.lastDrift = drifted;
    this.driftFound += drifted;
  }
}
