import type { Sql } from "../../lib/postgres-plugin.js";
import type { Ledger, Op, Refusal, Ruling } from "./ledger.js";
import { bookTogether } from "./ledger-batch.js";

/**
 * A ruling from the group commit; `finished`: the caller has no last Redis step to run, because
 * its batch ran it, or runs it after answering (a confirm answered at its commit).
 */
export type Committed = Ruling & { finished?: boolean };

/**
 * When a booked confirm is answered: after its last Redis step ("finished", what a hold's
 * confirm needs: a read right after it finds the hold confirmed), or as soon as its batch
 * committed ("committed", for an operation nobody reads back, a seat decrement: it is durable
 * then, and the group commit runs its last step after the answer).
 */
export type AnswerAt = "finished" | "committed";

/**
 * The last Redis step of a committed batch's confirms of one leg set and one kind, for all of
 * them at once: true when done, false when each must run its own (the layout cannot, or it failed).
 */
export type BatchFinish = (ops: Op[]) => Promise<boolean>;

/** The last Redis step of one confirm, for a confirm answered at commit whose batch could not run it. */
export type OneFinish = (op: Op) => Promise<unknown>;

interface Waiter {
  op: Op;
  answerAt: AnswerAt;
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
 * leg set (`finish`), while the next batch's transaction already runs; a confirm answered at
 * commit (a seat decrement) has its answer before that script, which is about an eighth of its
 * time under load.
 */
export class GroupCommit {
  /** The confirms waiting for the transaction in flight; null: none in flight. */
  private waiting: Waiter[] | null = null;
  /** Last steps still running for confirms already answered (close waits for them). */
  private readonly finishing = new Set<Promise<void>>();
  readonly totals: GroupCommitTotals = { batches: 0, confirms: 0, fallbacks: 0, finishes: 0 };

  constructor(
    private readonly sql: Sql,
    private readonly ledger: Ledger,
    private readonly maxBatch: number,
    private readonly finish: BatchFinish,
    private readonly finishOne: OneFinish,
  ) {}

  book(op: Op, answerAt: AnswerAt = "finished"): Promise<Committed | Refusal> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { op, answerAt, resolve, reject };
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
      // One finish per leg set and kind: a kind's records are kept for a time of their own.
      const group = `${waiter.op.kind}:${waiter.op.legs.join(",")}`;
      const members = byLegs.get(group) ?? [];
      members.push({ waiter, ruling: rulings[i] as Ruling });
      byLegs.set(group, members);
    }
    for (const members of byLegs.values()) {
      const finishing = this.finishThenAnswer(members);
      this.finishing.add(finishing);
      void finishing.finally(() => this.finishing.delete(finishing));
    }
  }

  /**
   * Only the confirms this batch booked have a last step; the others end as their ruling says,
   * and those answered at commit are answered before it. Should their batch's step fail, each
   * one's own runs after the answer; one that fails too stays "confirming" in Redis, and the
   * sweeper finishes it after the grace period, as after a crash.
   */
  private async finishThenAnswer(members: Member[]): Promise<void> {
    const booked: Member[] = [];
    for (const m of members) {
      const mine = m.ruling.status === "confirmed" && m.ruling.mine;
      if (mine) booked.push(m);
      if (!mine) m.waiter.resolve({ ...m.ruling, finished: false });
      else if (m.waiter.answerAt === "committed") m.waiter.resolve({ ...m.ruling, finished: true });
    }
    if (booked.length === 0) return;
    const finished = await this.finish(booked.map((m) => m.waiter.op)).catch(() => false);
    if (finished) this.totals.finishes++;
    for (const { waiter, ruling } of booked) {
      if (waiter.answerAt === "finished") waiter.resolve({ ...ruling, finished });
    }
    if (finished) return;
    const answered = booked.filter((m) => m.waiter.answerAt === "committed");
    await Promise.all(answered.map((m) => this.finishOne(m.waiter.op).catch(() => undefined)));
  }

  /** Resolves once every last step started for confirms already answered has ended. */
  async idle(): Promise<void> {
    while (this.finishing.size > 0) await Promise.all(this.finishing);
  }
}
