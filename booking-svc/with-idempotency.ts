import { AppError } from "../lib/errors.js";
import type { Claim, IdempotencyStore, StoredResponse } from "./idempotency.js";
import type { BookingStats } from "./stats.js";
import type { BookingRow, BookingsRepo } from "./store/bookings-repo.js";
import { currentAnswer, requestAnswer } from "./views.js";

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

/**
 * The Idempotency-Key protocol (DESIGN.md invariant 4) around a request's work: the first request
 * with a key runs it and stores its answer; the same key and body replays that answer, another
 * body is refused (422), a duplicate while the first runs gets 409. Work that throws changed
 * nothing and gives its key up. What the work may find instead of an answer (`H`, a durable row
 * that already holds the key) and how a stored 202 is brought up to date are the subclass's.
 */
export abstract class IdempotencyProtocol<H> {
  constructor(protected readonly store: IdempotencyStore) {}

  /** A claim that did not run the work: replayed, refused as in progress or as a reused key. */
  protected counted(_kind: Exclude<Claim["kind"], "claimed">): void {}

  async withIdempotency(scope: string, hash: string, run: () => Promise<StoredResponse | H>): Promise<Answer> {
    const claim = await this.store.claim(scope, hash);
    if (claim.kind !== "claimed") this.counted(claim.kind);
    if (claim.kind === "mismatch") throw new AppError("idempotency_key_reused");
    if (claim.kind === "in_progress") throw new AppError("request_in_progress");
    if (claim.kind === "replay") return { response: await this.refresh(scope, hash, claim.response), replayed: true };

    let outcome: StoredResponse | H;
    try {
      outcome = await run();
    } catch (err) {
      await this.store.abandon(scope).catch(() => {});
      throw err;
    }
    if (this.isHolder(outcome)) return this.fromHolder(scope, hash, outcome);
    await this.store.finish(scope, hash, outcome);
    return { response: outcome, replayed: false };
  }

  protected abstract isHolder(outcome: StoredResponse | H): outcome is H;
  /** A stored answer replayed: a 202 may have settled since. */
  protected abstract refresh(scope: string, hash: string, stored: StoredResponse): Promise<StoredResponse>;
  /** The durable fallback: the row that holds the key decides, as its Redis record would have. */
  protected abstract fromHolder(scope: string, hash: string, holder: H): Promise<Answer>;
}

/**
 * The protocol for bookings: the bookings row (idempotency_key, request_hash) is the fallback.
 * `answerOf` is what a request's answer is once its booking moved on: a new booking's request
 * answers what it made of the booking (requestAnswer: confirmed, whatever came later), a
 * cancellation's the booking as it stands (currentAnswer).
 */
export class Idempotency extends IdempotencyProtocol<KeyOnRow> {
  constructor(
    store: IdempotencyStore,
    private readonly repo: BookingsRepo,
    private readonly stats: BookingStats,
    private readonly answerOf: (b: BookingRow) => StoredResponse,
  ) {
    super(store);
  }

  /** POST /api/bookings' protocol. */
  static forBookings(store: IdempotencyStore, repo: BookingsRepo, stats: BookingStats): Idempotency {
    return new Idempotency(store, repo, stats, requestAnswer);
  }

  /** PUT /api/bookings/:id/cancel's protocol. */
  static forCancellations(store: IdempotencyStore, repo: BookingsRepo, stats: BookingStats): Idempotency {
    return new Idempotency(store, repo, stats, currentAnswer);
  }

  protected override counted(kind: Exclude<Claim["kind"], "claimed">): void {
    this.stats.idempotency.add(kind);
  }

  protected isHolder(outcome: StoredResponse | KeyOnRow): outcome is KeyOnRow {
    return outcome instanceof KeyOnRow;
  }

  protected fromHolder(scope: string, hash: string, outcome: KeyOnRow): Promise<Answer> {
    return this.fromRow(scope, hash, outcome.holder);
  }

  /** A stored 202 may have settled since: replay how it settled. */
  protected async refresh(scope: string, hash: string, stored: StoredResponse): Promise<StoredResponse> {
    const id = Number(stored.body.booking_id);
    if (stored.code !== 202 || !Number.isInteger(id)) return stored;
    const b = await this.repo.get(id);
    if (!b) return stored;
    const now = this.answerOf(b);
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
    // The first request's answer, not the booking as a later cancellation or change left it.
    const response = this.answerOf(b);
    await this.store.finish(scope, hash, response);
    return { response, replayed: true };
  }
}
