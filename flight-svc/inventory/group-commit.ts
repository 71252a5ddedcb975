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

/** A confirm of a committed batch, with the ledger's ruling on it. */
interface Member {
  waiter: Waiter;
  ruling: Ruling;
}

/** What the group commit did in this process (read by /metrics). */
export interface GroupCommitTotals {
  /** Transactions that committed a batch. */
  batches: number;
  /** Confirms answered by those transactions. */
  confirms: number;
  /** Batches that failed and whose members were booked one by one. */
  fallbacks: number;
  /** Leg sets of committed batches whose confirms' last Redis step ran as one script. */
  finishes: number;
}

/**
 * Group commit of confirms. A hot flight's booked_seats is one row, and its lock is held through
 * each commit's WAL flush, so one transaction per seat caps a flight at a few thousand seats a
 * second; and bookings on many flights each paid a transaction, a round trip and a commit of
 * their own. Here the first confirm starts its transaction at once; confirms that arrive while
 * it runs, of any legs, wait and go together in the next one (at most `maxBatch`), each answered
 * only after its batch committed: synchronous_commit stays on. A batch that fails is retried
 * member by member (Ledger.book), so each caller gets its own true answer: one confirm that
 * cannot be booked never fails the others. One transaction runs at a time per process, so a
 * batch that waits for a flight row another instance holds delays the confirms queued behind it
 * for that long, whatever their flights. With several instances their transactions queue on the
 * row locks as single ones do, and the ledger's key keeps every confirm exactly once whichever
 * transaction writes it. After a commit the confirms it booked end in Redis with one script per
 * leg set (`finish`), while the next batch's transaction already runs.
 */
export class GroupCommit {
  /** The confirms waiting for the transaction in flight; null: none in flight. */
  private waiting: Waiter[] | null = null;
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
      if (this.waiting) {
        this.waiting.push(waiter);
        return;
      }
      this.waiting = [];
      void this.drain([waiter]);
    });
  }

  private async drain(first: Waiter[]): Promise<void> {
    const waiting = this.waiting as Waiter[];
    for (let batch = first; batch.length > 0; batch = waiting.splice(0, this.maxBatch)) {
      await this.commit(batch);
    }
    this.waiting = null;
  }

  private async commit(batch: Waiter[]): Promise<void> {
    let rulings: Ruling[];
    try {
      rulings = await bookTogether(
        this.sql,
        batch.map((w) => w.op),
      );
    } catch {
      this.totals.fallbacks++;
      await Promise.all(batch.map((w) => this.ledger.book(w.op).then(w.resolve, w.reject)));
      return;
    }
    this.totals.batches++;
    this.totals.confirms += batch.length;
    const byLegs = new Map<string, Member[]>();
    for (const [i, waiter] of batch.entries()) {
      const legs = waiter.op.legs.join(",");
      const members = byLegs.get(legs) ?? [];
      members.push({ waiter, ruling: rulings[i] as Ruling });
      byLegs.set(legs, members);
    }
    for (const members of byLegs.values()) void this.finishThenAnswer(members);
  }

  /** Only the confirms this batch booked have a last step; the others end as their ruling says. */
  private async finishThenAnswer(members: Member[]): Promise<void> {
    const booked = members.filter((m) => m.ruling.status === "confirmed" && m.ruling.mine);
    let finished = false;
    if (booked.length > 0) {
      finished = await this.finish(
        booked[0]?.waiter.op.legs ?? [],
        booked.map((m) => m.waiter.op.id),
      ).catch(() => false);
      if (finished) this.totals.finishes++;
    }
    for (const { waiter, ruling } of members) waiter.resolve({ ...ruling, finished });
  }
}
