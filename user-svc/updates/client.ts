import { compareIds, type StreamEvent } from "../../contracts/events/stream.js";
import { messageOf } from "./messages.js";

export type TransportKind = "sse" | "websocket";

/** How a client is written to: false once it is gone (closed, or dropped for being slow). */
export interface Transport {
  readonly kind: TransportKind;
  send(id: string | null, message: Record<string, unknown>): boolean;
  close(reason: string): void;
}

// Events that arrive while a client catches up wait here; a client this far behind is dropped.
const MAX_PENDING = 10_000;

/**
 * One connection of one user. Until its catch-up from `resume_from` is done, live events wait;
 * then each event goes out once, in stream order: one at or before the last sent is skipped, so
 * an event both replayed and received live is sent once.
 */
export class UpdatesClient {
  private replaying = true;
  private pending: StreamEvent[] = [];
  private open = true;

  constructor(
    readonly userId: number,
    private readonly transport: Transport,
    public cursor: string | null,
  ) {}

  get kind(): TransportKind {
    return this.transport.kind;
  }

  get isOpen(): boolean {
    return this.open;
  }

  offer(ev: StreamEvent): void {
    if (!this.open) return;
    if (!this.replaying) this.deliver(ev);
    else if (this.pending.length >= MAX_PENDING) this.close("too far behind");
    else this.pending.push(ev);
  }

  /** An event read while catching up. */
  replayed(ev: StreamEvent): void {
    if (this.open) this.deliver(ev);
  }

  endReplay(): void {
    this.replaying = false;
    const waiting = this.pending;
    this.pending = [];
    for (const ev of waiting) this.deliver(ev);
  }

  reply(message: Record<string, unknown>): void {
    if (this.open && !this.transport.send(null, message)) this.open = false;
  }

  close(reason: string): void {
    if (!this.open) return;
    this.open = false;
    this.transport.close(reason);
  }

  /** The transport went away by itself. */
  gone(): void {
    this.open = false;
  }

  private deliver(ev: StreamEvent): void {
    if (this.cursor !== null && compareIds(ev.id, this.cursor) <= 0) return;
    this.cursor = ev.id;
    if (!this.transport.send(ev.id, messageOf(ev))) this.open = false;
  }
}
