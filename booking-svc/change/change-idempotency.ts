import { AppError } from "../../lib/errors.js";
import type { IdempotencyStore, StoredResponse } from "../idempotency.js";
import type { BookingsRepo, BookingWithLegs } from "../store/bookings-repo.js";
import type { ChangeRow, ChangesRepo } from "../store/changes-repo.js";
import type { Answer } from "../with-idempotency.js";
import { ChangeKeyTaken } from "./change-booking.js";
import { changeAnswer } from "./change-views.js";

/**
 * The Idempotency-Key protocol (DESIGN.md invariant 4) for a change, as with-idempotency.ts has it
 * for a booking: the answer stored in Redis is replayed, and the change row that holds the key
 * (booking_changes.idempotency_key) is the durable fallback. A replayed 202 is refreshed from the
 * change's row, which the sweeper may have settled since.
 */
export class ChangeIdempotency {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly changes: ChangesRepo,
    private readonly bookings: BookingsRepo,
  ) {}

  static scope(bookingId: number, key: string): string {
    return `change:${bookingId}:${key}`;
  }

  async run(scope: string, hash: string, work: () => Promise<StoredResponse | ChangeKeyTaken>): Promise<Answer> {
    const claim = await this.store.claim(scope, hash);
    if (claim.kind === "mismatch") throw new AppError("idempotency_key_reused");
    if (claim.kind === "in_progress") throw new AppError("request_in_progress");
    if (claim.kind === "replay") return { response: await this.refresh(scope, hash, claim.response), replayed: true };
    let outcome: StoredResponse | ChangeKeyTaken;
    try {
      outcome = await work();
    } catch (err) {
      await this.store.abandon(scope).catch(() => {});
      throw err;
    }
    if (outcome instanceof ChangeKeyTaken) return this.fromRow(scope, hash, outcome.holder);
    await this.store.finish(scope, hash, outcome);
    return { response: outcome, replayed: false };
  }

  private async answerOf(c: ChangeRow): Promise<StoredResponse> {
    return changeAnswer(c, (await this.bookings.get(c.bookingId)) as BookingWithLegs);
  }

  private async refresh(scope: string, hash: string, stored: StoredResponse): Promise<StoredResponse> {
    const id = Number((stored.body as { change_id?: unknown }).change_id);
    if (stored.code !== 202 || !Number.isInteger(id)) return stored;
    const c = await this.changes.get(id);
    if (!c) return stored;
    const now = await this.answerOf(c);
    if (now.code !== 202) await this.store.finish(scope, hash, now);
    return now;
  }

  private async fromRow(scope: string, hash: string, c: ChangeRow): Promise<Answer> {
    if (c.requestHash !== hash) {
      await this.store.abandon(scope);
      throw new AppError("idempotency_key_reused");
    }
    const response = await this.answerOf(c);
    if (response.code === 202) await this.store.abandon(scope);
    else await this.store.finish(scope, hash, response);
    return { response, replayed: true };
  }
}
