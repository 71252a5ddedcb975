import { bookingRef } from "../contracts/flight-svc/booking-ref.js";
import { requestHash } from "../lib/request-hash.js";
import type { BookingCancellation } from "./cancel-booking.js";
import type { BookingCreation } from "./create-booking.js";
import { IdempotencyStore, type StoredResponse } from "./idempotency.js";
import type { CreateBooking } from "./request.js";
import type { Answer, Idempotency } from "./with-idempotency.js";
import { WorkTracker } from "./work-tracker.js";

/** A booking as its keys' records name it: by its ref, as a booking given its id again has its own. */
interface KeyedBooking {
  id: number;
  holdNonce: string | null;
}

/**
 * The booking use cases the routes call, one call each: every one honours an Idempotency-Key and
 * is tracked, so that shutdown lets it finish.
 */
export class BookingService {
  /** create and cancel calls still running (shutdown drains them). */
  readonly work = new WorkTracker();

  constructor(
    private readonly creation: BookingCreation,
    private readonly cancellation: BookingCancellation,
    private readonly idempotency: { bookings: Idempotency; cancellations: Idempotency },
  ) {}

  /** POST /api/bookings. */
  create(req: CreateBooking, key: string | undefined): Promise<Answer> {
    return this.work.track(this.createOnce(req, key));
  }

  /** PUT /api/bookings/:id/cancel. */
  cancel(b: KeyedBooking, key: string | undefined): Promise<Answer> {
    return this.work.track(this.cancelOnce(b, key));
  }

  private async createOnce(req: CreateBooking, key: string | undefined): Promise<Answer> {
    // Without a key nothing can collide: only a taken key makes the creation answer a KeyOnRow.
    if (!key) return { response: (await this.creation.run(req, null)) as StoredResponse, replayed: false };
    const hash = requestHash({ ...req, field: undefined });
    return this.idempotency.bookings.withIdempotency(IdempotencyStore.scope(req.userId, key), hash, () =>
      this.creation.run(req, { key, hash }),
    );
  }

  private async cancelOnce({ id, holdNonce }: KeyedBooking, key: string | undefined): Promise<Answer> {
    if (!key) return { response: await this.cancellation.run(id), replayed: false };
    // A cancel has no body: its key belongs to its booking, so no other request can reuse it.
    const scope = IdempotencyStore.cancelScope(bookingRef(id, holdNonce), key);
    return this.idempotency.cancellations.withIdempotency(scope, requestHash({ booking_id: id }), () =>
      this.cancellation.run(id),
    );
  }
}
