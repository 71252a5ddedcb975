import { AppError } from "../lib/errors.js";
import type { IdempotencyStore, StoredResponse } from "./idempotency.js";
import type { BookingStats } from "./stats.js";
import type { BookingRow, BookingsRepo } from "./store/bookings-repo.js";
import { currentAnswer } from "./views.js";

export interface Answer {
  response: StoredResponse;
  replayed: boolean;
}

/**
 * What the wrapped work found instead of an answer: a bookings row already holds the request's
 * Idempotency-Key although Redis did not know it (flushed, or the running claim of a crashed
 * request ran out). null: the row is not visible yet.
 */
export class KeyOnRow {
  constructor(readonly holder: BookingRow | null) {}
}

export type IdempotentWork = () => Promise<StoredResponse | KeyOnRow>;

/**
 * The Idempotency-Key protocol (DESIGN.md invariant 4) around a request's work: the first request
 * with a key runs it and stores its answer; the same key and body replays that answer, another
 * body is refused (422), a duplicate while the first runs gets 409. Work that throws changed
 * nothing and gives its key up.
 */
export class Idempotency {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly repo: BookingsRepo,
    private readonly stats: BookingStats,
  ) {}

  async withIdempotency(scope: string, hash: string, run: IdempotentWork): Promise<Answer> {
    const claim = await this.store.claim(scope, hash);
    if (claim.kind !== "claimed") this.stats.idempotency.add(claim.kind);
    if (claim.kind === "mismatch") throw new AppError("idempotency_key_reused");
    if (claim.kind === "in_progress") throw new AppError("request_in_progress");
    if (claim.kind === "replay") return { response: await this.refresh(scope, hash, claim.response), replayed: true };

    let outcome: StoredResponse | KeyOnRow;
    try {
      outcome = await run();
    } catch (err) {
      await this.store.abandon(scope).catch(() => {});
      throw err;
    }
    if (outcome instanceof KeyOnRow) return this.fromRow(scope, hash, outcome.holder);
    await this.store.finish(scope, hash, outcome);
    return { response: outcome, replayed: false };
  }

  /** A stored 202 may have settled since: replay what the booking is now. */
  private async refresh(scope: string, hash: string, stored: StoredResponse): Promise<StoredResponse> {
    const id = Number(stored.body.booking_id);
    if (stored.code !== 202 || !Number.isInteger(id)) return stored;
    const b = await this.repo.get(id);
    if (!b) return stored;
    const now = currentAnswer(b);
    if (now.code !== 202) await this.store.finish(scope, hash, now);
    return now;
  }

  /** The durable fallback: the row that holds the key decides, as its Redis record would have. */
  private async fromRow(scope: string, hash: string, b: BookingRow | null): Promise<Answer> {
    if (!b) {
      this.stats.idempotency.add("in_progress");
      throw new AppError("request_in_progress");
    }
    if (b.requestHash !== hash) {
      this.stats.idempotency.add("mismatch");
      await this.store.abandon(scope);
      throw new AppError("idempotency_key_reused");
    }
    if (b.status === "pending" && b.leaseUntil.getTime() > Date.now()) {
      this.stats.idempotency.add("in_progress");
      await this.store.abandon(scope);
      throw new AppError("request_in_progress");
    }
    this.stats.idempotency.add("replay");
    const response = currentAnswer(b);
    await this.store.finish(scope, hash, response);
    return { response, replayed: true };
  }
}
