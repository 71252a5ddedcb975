import type { Sql } from "../../lib/postgres-plugin.js";
import type { Ledger, Op, Refusal, Ruling } from "./ledger.js";
import { bookTogether } from "./ledger-batch.js";

interface Waiter {
  op: Op;
  resolve(outcome: Ruling | Refusal): void;
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
 */
export class GroupCommit {
  /** Per leg set, the confirms waiting for the transaction in flight; no entry: none in flight. */
  private readonly lanes = new Map<string, Waiter[]>();
  readonly totals: GroupCommitTotals = { batches: 0, confirms: 0, fallbacks: 0 };

  constructor(
    private readonly sql: Sql,
    private readonly ledger: Ledger,
    private readonly maxBatch: number,
  ) {}

  book(op: Op): Promise<Ruling | Refusal> {
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
    let rulings: Ruling[];
    try {
      rulings = await bookTogether(this.sql, ops[0]?.legs ?? [], ops);
    } catch {
      this.totals.fallbacks++;
      await Promise.all(batch.map((w) => this.ledger.book(w.op).then(w.resolve, w.reject)));
      return;
    }
    this.totals.batches++;
    this.totals.confirms += batch.length;
    for (const [i, w] of batch.entries()) w.resolve(rulings[i] as Ruling);
  }
}
