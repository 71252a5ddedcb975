import { currentRequestId, withoutRequestId, withRequestId } from "../../lib/request-context.js";
import type { Reply } from "../../lib/upstream.js";

/** A call waiting for its turn's batch; `requestId`: the request it is made for. */
export interface Batched<I> {
  item: I;
  requestId: string | undefined;
}

export interface TurnBatchOptions<I> {
  /** The call for one item alone, as it is made without batching. */
  one: (item: I) => Promise<Reply<unknown>>;
  /**
   * The call for several: one reply per item in order, or null when the upstream would not take
   * the batch as a whole (an older one without the endpoint, a 400): then each goes alone.
   */
  many: (items: Batched<I>[]) => Promise<Reply<unknown>[] | null>;
  /** The most items per call; a larger turn is split into calls sent together. */
  max: number;
}

/**
 * Calls of one event-loop turn sent as one: under load, many bookings reach the same step in the
 * same turn, and each round trip costs both processes a write and a wake-up, which on a busy
 * machine cost more than the call's own work. Alone, a call goes as it always did, one turn later.
 * Each caller gets the reply its own call would have had; an error of the whole call (no answer
 * in time, no connection) is every item's error, as it would have been for each alone.
 */
export class TurnBatch<I> {
  private waiting: (Batched<I> & { resolve: (r: Reply<unknown>) => void; reject: (e: unknown) => void })[] = [];

  constructor(private readonly opts: TurnBatchOptions<I>) {}

  send(item: I): Promise<Reply<unknown>> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, requestId: currentRequestId(), resolve, reject });
      // setImmediate runs in the first caller's context; the flush leaves it (withoutRequestId).
      if (this.waiting.length === 1) setImmediate(() => withoutRequestId(() => this.flush()));
    });
  }

  private flush(): void {
    const turn = this.waiting;
    this.waiting = [];
    for (let i = 0; i < turn.length; i += this.opts.max) void this.sendPart(turn.slice(i, i + this.opts.max));
  }

  private async sendPart(part: TurnBatch<I>["waiting"]): Promise<void> {
    let replies: Reply<unknown>[] | null = null;
    if (part.length > 1) {
      try {
        replies = await this.opts.many(part);
      } catch (err) {
        for (const w of part) w.reject(err);
        return;
      }
    }
    if (replies && replies.length === part.length) {
      for (const [i, w] of part.entries()) w.resolve(replies[i] as Reply<unknown>);
      return;
    }
    for (const w of part) {
      const alone = () => this.opts.one(w.item).then(w.resolve, w.reject);
      void (w.requestId ? withRequestId(w.requestId, alone) : alone());
    }
  }
}
