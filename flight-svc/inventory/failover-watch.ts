import type { FastifyBaseLogger } from "fastify";
import { Cluster } from "ioredis";
import type { RedisClient } from "../../lib/redis-plugin.js";

const SLOTS = 16_384;
// A reconcile that fails (the cluster still electing, the client's slot map still old,
// PostgreSQL away) or leaves drift it could not repair is run again, at least a second later,
// at most this many times.
const ATTEMPTS = 30;
const RETRY_MS = 1_000;
const EMPTY = `0-${SLOTS - 1} none`;

/** Which node serves each slot range as master, e.g. "0-5460 127.0.0.1:7001|…". */
export function masterMap(slots: readonly (readonly string[] | undefined)[]): string {
  const ranges: string[] = [];
  let from = 0;
  for (let slot = 1; slot <= SLOTS; slot++) {
    if (slot < SLOTS && slots[slot]?.[0] === slots[from]?.[0]) continue;
    ranges.push(`${from}-${slot - 1} ${slots[from]?.[0] ?? "none"}`);
    from = slot;
  }
  return ranges.join("|");
}

/**
 * Repairs the seat counters after a Redis Cluster failover, without an operator. A promoted
 * replica may lack the failed master's last acknowledged writes (replication is asynchronous),
 * so its flights' counters and holds, and the hold records of its shards, can disagree with
 * each other and with PostgreSQL. The cluster client refreshes its slot map every couple of
 * seconds (lib/redis-plugin.ts); when a refresh shows another master for any slot, the
 * reconcile with repair runs `delayMs` later (once the new master serves its slots), again on
 * failure. Never oversold in between: PostgreSQL refuses a confirm beyond a flight's seats.
 * On one node there is no failover to watch.
 */
export class FailoverWatch {
  private seen: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;
  private readonly onRefresh = () => this.refreshed();

  constructor(
    private readonly redis: RedisClient,
    private readonly reconcile: () => Promise<{ drift: unknown[]; repaired: number | boolean }>,
    private readonly delayMs: number,
    private readonly log: FastifyBaseLogger,
  ) {}

  start(): void {
    if (!(this.redis instanceof Cluster) || this.delayMs === 0) return;
    this.seen = masterMap(this.redis.slots);
    this.redis.on("refresh", this.onRefresh);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.redis.off("refresh", this.onRefresh);
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private refreshed(): void {
    const now = masterMap((this.redis as Cluster).slots);
    if (now === EMPTY || now === this.seen) return;
    // The first map after a start (the client had none before it connected) is no failover.
    if (this.seen === null || this.seen === EMPTY) {
      this.seen = now;
      return;
    }
    this.log.warn({ before: this.seen, after: now }, "redis cluster: the masters changed; reconcile follows");
    this.seen = now;
    this.schedule(1);
  }

  private schedule(attempt: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.running = this.run(attempt);
      },
      attempt === 1 ? this.delayMs : Math.max(this.delayMs, RETRY_MS),
    );
    this.timer.unref();
  }

  private async run(attempt: number): Promise<void> {
    const started = performance.now();
    try {
      const report = await this.reconcile();
      this.log.warn(
        { drift: report.drift.length, repaired: report.repaired, ms: Math.round(performance.now() - started) },
        "redis cluster failover: reconcile done",
      );
      // A flight it could not repair (its counter kept moving) gets another pass.
      if (Number(report.repaired) < report.drift.length && attempt < ATTEMPTS) this.schedule(attempt + 1);
    } catch (err) {
      this.log.warn({ err: (err as Error).message, attempt }, "redis cluster failover: reconcile failed");
      if (attempt < ATTEMPTS) this.schedule(attempt + 1);
    }
  }
}
