import type { Sql } from "../../lib/postgres-plugin.js";
import type { Ledger, Op, Refusal, Ruling } from "./ledger.js";
import { bookTogether } from "./ledger-batch.js";

/** A ruling from the group commit; `finished`: the confirm's last Redis step ran with its batch's. */
export type Committed = Ruling & { finished?: boolean };

/**
 * The last Redis step of a committed batch's confirms, for all of them at once (their ids, on
 * `legs`): true when done, false when each must run its own (the layout cannot, or it failed).
 */
export type BatchFinish = (legs: number[], ids: string[]) => Promise<boolean>;

interface Waiter {
  op: Op;
  resolve(outcome: Committed | Refusal): void;
  reject(err: unknown): void;
}

/** What the group commit did in this process (read by /metrics). */
export interface GroupCommitTotals {
  /** Transactions that committed a batch. */
  batches: number;
  /** Confirms answered by those transactions. */
  confirms: number;
  /** Batches that failed and whose members were booked one by one. */
  fallbacks: number;
  /** Batches whose confirms' last Redis step ran as one script. */
  finishes: number;
}

/**
 * Group commit of confirms. A hot flight's booked_seats is one row, and its lock is held through
 * each commit's WAL flush, so one transaction per seat caps a flight at a few thousand seats a
 * second. Here the first confirm of a leg set starts its transaction at once; confirms of the
 * same legs that arrive while it runs wait and go together in the next one (at most `maxBatch`),
 * each answered only after its batch committed: synchronous_commit stays on. A batch that
 * fails is retried member by member (Ledger.book), so each caller gets its own true answer:
 * one confirm that cannot be booked never fails the others. Batching is per process; with
 * several instances their transactions queue on the row lock as single ones do, and the
 * ledger's key keeps every confirm exactly once whichever transaction writes it.
 * After a commit the confirms it booked end in Redis with one script for the batch (`finish`),
 * while the next batch's transaction already runs.
 */
export class GroupCommit {
  /** Per leg set, the confirms waiting for the transaction in flight; no entry: none in flight. */
  private readonly lanes = new Map<string, Waiter[]>();
  readonly totals: GroupCommitTotals = { batches: 0, confirms: 0, fallbacks: 0, finishes: 0 };

  constructor(
    private readonly sql: Sql,
    private readonly ledger: Ledger,
    private readonly maxBatch: number,
    private readonly finish: BatchFinish = async () => false,
  ) {}

  book(op: Op): Promise<Committed | Refusal> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { op, resolve, reject };
      const lane = op.legs.join(",");
      const waiting = this.lanes.get(lane);
      if (waiting) {
        waiting.push(waiter);
        return;
      }
      this.lanes.set(lane, []);
      void this.drain(lane, [waiter]);
    });
  }

  private async drain(lane: string, first: Waiter[]): Promise<void> {
    const waiting = this.lanes.get(lane) as Waiter[];
    for (let batch = first; batch.length > 0; batch = waiting.splice(0, this.maxBatch)) {
      await this.commit(batch);
    }
    this.lanes.delete(lane);
  }

  private async commit(batch: Waiter[]): Promise<void> {
    const ops = batch.map((w) => w.op);
    const legs = ops[0]?.legs ?? [];
    let rulings: Ruling[];
    try {
      rulings = await bookTogether(this.sql, legs, ops);
    } catch {
      this.totals.fallbacks++;
      await Promise.all(batch.map((w) => this.ledger.book(w.op).then(w.resolve, w.reject)));
      return;
    }
    this.totals.batches++;
    this.totals.confirms += batch.length;
    void this.finishThenAnswer(legs, batch, rulings);
  }

  /** Only the confirms this batch booked have a last step; the others end as their ruling says. */
  private async finishThenAnswer(legs: number[], batch: Waiter[], rulings: Ruling[]): Promise<void> {
    const booked = batch.filter((_, i) => rulings[i]?.status === "confirmed" && rulings[i]?.mine);
    let finished = false;
    if (booked.length > 0) {
      finished = await this.finish(
        legs,
        booked.map((w) => w.op.id),
      ).catch(() => false);
      if (finished) this.totals.finishes++;
    }
    for (const [i, w] of batch.entries()) w.resolve({ ...(rulings[i] as Ruling), finished });
  }
}
