import type { FastifyBaseLogger } from "fastify";
import type { FlightEventBody } from "../../contracts/events/stream.js";
import type { EventAppender } from "../../lib/events/append-event.js";
import type { Sql } from "../../lib/postgres-plugin.js";

// One relay at a time across instances (a transaction-scoped advisory lock): two relays taking
// rows past each other could append a flight's second change before its first.
const RELAY_LOCK = 0x5b_19_0e;
const BATCH = 200;
const PRUNE_EVERY_MS = 60_000;

interface OutboxRow {
  id: string;
  event_key: string;
  flight_id: string;
  kind: FlightEventBody["kind"];
  before: FlightEventBody["before"];
  after: FlightEventBody["after"];
  at: Date;
}

export interface RelayOptions {
  intervalMs: number;
  retentionHours: number;
}

/**
 * Moves flight events from the outbox to the events stream in outbox order, marking each row
 * with its stream id in the transaction that read it. A crash after an append and before the
 * commit leaves the row unmarked; the next pass appends it again and the stream's dedupe
 * marker answers the first id, so each event is in the stream once.
 */
export class EventRelay {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private lastPrune = 0;

  constructor(
    private readonly sql: Sql,
    private readonly appender: EventAppender,
    private readonly opts: RelayOptions,
    private readonly log: FastifyBaseLogger,
  ) {}

  start(): void {
    this.stopped = false;
    this.nudge();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** A change was committed: relay now rather than at the next tick. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.loop().finally(() => {
      this.running = null;
      if (this.stopped) return;
      if (this.again) {
        this.again = false;
        this.nudge();
      } else {
        this.timer = setTimeout(() => this.nudge(), this.opts.intervalMs);
        this.timer.unref();
      }
    });
  }

  private async loop(): Promise<void> {
    try {
      let handled = BATCH;
      while (handled === BATCH && !this.stopped) handled = await this.relayOnce();
      if (Date.now() - this.lastPrune > PRUNE_EVERY_MS) await this.prune();
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, "flight events not relayed; retrying");
    }
  }

  /** One batch: appends unmarked rows in order; how many it handled (0 if another relay runs). */
  async relayOnce(): Promise<number> {
    return this.sql.begin(async (tx) => {
      const [lock] = await tx<{ ok: boolean }[]>`SELECT pg_try_advisory_xact_lock(${RELAY_LOCK}) AS ok`;
      if (!lock?.ok) return 0;
      const rows = await tx<OutboxRow[]>`
        SELECT id, event_key, flight_id, kind, before, after, at FROM flight_event_outbox
        WHERE stream_id IS NULL ORDER BY id LIMIT ${BATCH}`;
      for (const r of rows) {
        const body: FlightEventBody = {
          flight_id: Number(r.flight_id),
          kind: r.kind,
          before: r.before,
          after: r.after,
          at: r.at.toISOString(),
        };
        const streamId = await this.appender.append(`flight-${r.event_key}`, "flight", body);
        await tx`UPDATE flight_event_outbox SET stream_id = ${streamId}, appended_at = now() WHERE id = ${r.id}`;
      }
      return rows.length;
    });
  }

  // Rows stay a while after their append for whoever traces an event back to its change.
  private async prune(): Promise<void> {
    this.lastPrune = Date.now();
    await this.sql`DELETE FROM flight_event_outbox
      WHERE stream_id IS NOT NULL AND appended_at < now() - make_interval(hours => ${this.opts.retentionHours})`;
  }
}
