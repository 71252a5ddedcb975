import { AppError } from "../../lib/errors.js";
import type { IdempotencyStore, StoredResponse } from "../idempotency.js";
import type { BookingsRepo, BookingWithLegs } from "../store/bookings-repo.js";
import type { ChangeRow, ChangesRepo } from "../store/changes-repo.js";
import { type Answer, IdempotencyProtocol } from "../with-idempotency.js";
import { ChangeKeyTaken } from "./change-booking.js";
import { changeAnswer } from "./change-views.js";

/**
 * The Idempotency-Key protocol for a change: the change row that holds the key
 * (booking_changes.idempotency_key) is the durable fallback, and a replayed 202 is refreshed
 * from that row, which the sweeper may have settled since.
 */
export class ChangeIdempotency extends IdempotencyProtocol<ChangeKeyTaken> {
  constructor(
    store: IdempotencyStore,
    private readonly changes: ChangesRepo,
    private readonly bookings: BookingsRepo,
  ) {
    super(store);
  }

  /** By the booking's ref, as IdempotencyStore.cancelScope. */
  static scope(ref: string, key: string): string {
    return `change:${ref}:${key}`;
  }

  protected isHolder(outcome: StoredResponse | ChangeKeyTaken): outcome is ChangeKeyTaken {
    return outcome instanceof ChangeKeyTaken;
  }

  private async answerOf(c: ChangeRow): Promise<StoredResponse> {
    return changeAnswer(c, (await this.bookings.get(c.bookingId)) as BookingWithLegs);
  }

  protected async refresh(scope: string, hash: string, stored: StoredResponse): Promise<StoredResponse> {
    const id = Number((stored.body as { change_id?: unknown }).change_id);
    if (stored.code !== 202 || !Number.isInteger(id)) return stored;
    const c = await this.changes.get(id);
    if (!c) return stored;
    const now = await this.answerOf(c);
    if (now.code !== 202) await this.store.finish(scope, hash, now);
    return now;
  }

  protected async fromHolder(scope: string, hash: string, taken: ChangeKeyTaken): Promise<Answer> {
    const c = taken.holder;
    if (c.requestHash !== hash) {
      await this.store.abandon(scope);
      throw new AppError("idempotency_key_reused");
    }
    // Its request (or a sweeper) still runs it: a duplicate is told so, as while Redis held the
    // key (invariant 4), rather than answered the half-done change's 202.
    if (c.step !== "done" && c.leaseUntil.getTime() > Date.now()) {
      await this.store.abandon(scope);
      throw new AppError("request_in_progress");
    }
    const response = await this.answerOf(c);
    if (response.code === 202) await this.store.abandon(scope);
    else await this.store.finish(scope, hash, response);
    return { response, replayed: true };
  }
}
