import type { FastifyBaseLogger } from "fastify";
import { returnSeats } from "./cancel.js";
import { adoptIfBooked, confirmIfBooked, settleConfirming } from "./confirm.js";
import { type InventoryContext, keepMsOf, readHold } from "./context.js";
import { dueHoldIds } from "./expiry-index.js";
import { keys } from "./keys.js";

const BATCH = 500;

export interface SweepResult {
  expired: number;
  settled: number;
}

/**
 * Reaps holds whose time is up: expired holds give their seats back; confirms and
 * cancellations whose caller died are settled through the ledger. Safe with any number of
 * flight-svc instances sweeping at once: every step is one script that only acts on the state
 * it expects, so each hold is reaped once.
 */
export class Sweeper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;
  /** Everything this sweeper has reaped (read by /metrics). */
  readonly totals: SweepResult = { expired: 0, settled: 0 };

  constructor(
    private readonly ctx: InventoryContext,
    private readonly log: FastifyBaseLogger,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass over everything due at `now` (tests pass a later `now` to skip the wait). */
  async sweepOnce(now = Date.now()): Promise<SweepResult> {
    const result = await this.pass(now);
    this.totals.expired += result.expired;
    this.totals.settled += result.settled;
    return result;
  }

  private async pass(now: number): Promise<SweepResult> {
    const result: SweepResult = { expired: 0, settled: 0 };
    for (;;) {
      const shards = await dueHoldIds(this.ctx.redis, now, BATCH);
      const ids = shards.flat();
      if (ids.length === 0) return result;
      let progress = 0;
      await Promise.all(
        ids.map(async (id) => {
          const outcome = await this.reap(id, now).catch((err) => {
            this.log.warn({ err: (err as Error).message, hold_id: id }, "could not reap hold");
            return "skipped" as const;
          });
          if (outcome === "expired") result.expired++;
          if (outcome === "settled") result.settled++;
          if (outcome !== "skipped") progress++;
        }),
      );
      if (shards.every((s) => s.length < BATCH) || progress === 0) return result;
    }
  }

  private async reap(id: string, now: number): Promise<"expired" | "settled" | "removed" | "skipped"> {
    const { redis } = this.ctx;
    const hold = await readHold(redis, id);
    if (!hold) {
      await redis.zrem(keys.holdExpiries(id), id);
      return "removed";
    }
    const { state, op } = hold;
    if (state === "held") {
      if (await confirmIfBooked(this.ctx, id)) return "settled";
      const [code] = await this.ctx.steps.release(id, op.legs, "expired", now, keepMsOf(this.ctx, op.kind), "held");
      return code === 0 ? "expired" : "skipped";
    }
    if (state === "placing" || state === "releasing") {
      // Leg by leg (Redis Cluster) only: a placement or a release whose caller died, unless a
      // failover set back a hold PostgreSQL booked.
      if (await adoptIfBooked(this.ctx, id, state)) return "settled";
      await this.ctx.steps.release(id, op.legs, "released", now, keepMsOf(this.ctx, op.kind), state);
      return "settled";
    }
    if (state === "confirming") {
      await settleConfirming(this.ctx, op, "expired");
      return "settled";
    }
    if (state === "cancelling") {
      await returnSeats(this.ctx, op);
      return "settled";
    }
    await redis.zrem(keys.holdExpiries(id), id);
    return "removed";
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.sweepOnce()
        .catch((err) => this.log.warn({ err: (err as Error).message }, "hold sweep failed"))
        .finally(() => {
          this.running = null;
          this.schedule();
        });
    }, this.intervalMs);
    this.timer.unref();
  }
}
