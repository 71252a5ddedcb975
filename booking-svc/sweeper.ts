import { randomUUID } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import { unavailableDependency } from "../lib/dependency-down.js";
import { PeriodicTask } from "../lib/periodic-task.js";
import { withRequestId } from "../lib/request-context.js";
import type { ChangeRecovery } from "./change/recovery.js";
import type { SagaExecutor } from "./saga/executor.js";
import type { BookingStats } from "./stats.js";
import type { BookingRow, BookingsRepo } from "./store/bookings-repo.js";

export interface SweeperOptions {
  intervalMs: number;
  batch: number;
  /** How long a claimed booking is ours: its request's deadline, the longest a saga step may take. */
  leaseSeconds: number;
  maxBackoffSeconds: number;
  /**
   * Work outside the saga that a crash may have left undone (owed booking notices, cancelled legs'
   * refunds whose event is gone), each round.
   */
  owed?: () => Promise<void>;
  /** Unfinished changes of bookings' flights, swept with the same batch, lease and backoff. */
  changes?: ChangeRecovery;
}

/**
 * Crash recovery: finishes or compensates every unfinished booking (and change of a booking)
 * whose lease has ended (a
 * request that died, a payment whose outcome was unknown, an upstream that was down), at start
 * and then periodically. Safe with several instances: claimUnfinished hands each booking to one
 * sweeper at a time. A booking that cannot be settled yet is retried with a growing backoff.
 */
export class Sweeper {
  private readonly task: PeriodicTask<number>;

  constructor(
    private readonly repo: BookingsRepo,
    private readonly executor: SagaExecutor,
    private readonly opts: SweeperOptions,
    private readonly stats: BookingStats,
    private readonly log: FastifyBaseLogger,
  ) {
    this.task = new PeriodicTask(() => this.round(), opts.intervalMs);
  }

  start(): void {
    this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /** One round (joins the round already running); resolves to the number of bookings looked at. */
  sweepOnce(): Promise<number> {
    return this.task.runOnce();
  }

  private async round(): Promise<number> {
    let total = 0;
    try {
      for (;;) {
        const rows = await this.repo.claimUnfinished(this.opts.batch, this.opts.leaseSeconds);
        total += rows.length;
        // Under the id of the request that made the booking: its recovery's log lines and upstream
        // calls read as the rest of that request's story.
        await Promise.all(rows.map((b) => withRequestId(b.requestId ?? randomUUID(), () => this.recoverOne(b))));
        if (rows.length < this.opts.batch || this.task.stopped) break;
      }
      total += await (this.opts.changes?.sweep({
        batch: this.opts.batch,
        leaseSeconds: this.opts.leaseSeconds,
        backoff: (attempts) => this.backoff(attempts),
        stopped: () => this.task.stopped,
      }) ?? 0);
      await this.opts.owed?.();
      return total;
    } catch (err) {
      // Its own database away is an outage (the PostgreSQL gate reports it), not a bug.
      if (unavailableDependency(err)) this.log.warn({ reason: (err as Error).message }, "booking sweep skipped");
      else this.log.error({ err }, "booking sweep failed");
      return total;
    }
  }

  private async recoverOne(b: BookingRow): Promise<void> {
    try {
      const result = await this.executor.run(b, "recover");
      if (result.lost || result.state.step === "done") {
        if (!result.lost) this.stats.recoveries.add(result.state.status);
        this.log.info({ booking_id: b.id, status: result.state.status }, "unfinished booking recovered");
        return;
      }
    } catch (err) {
      this.log.error({ err, booking_id: b.id }, "booking recovery failed");
    }
    this.stats.recoveries.add("retry");
    await this.repo.setLease(b.id, this.backoff(b.attempts)).catch(() => {});
  }

  private backoff(attempts: number): number {
    const base = this.opts.intervalMs / 1000;
    return Math.min(base * 2 ** Math.max(0, attempts - 1), this.opts.maxBackoffSeconds);
  }
}
