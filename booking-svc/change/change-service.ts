import { bookingRef } from "../../contracts/flight-svc/booking-ref.js";
import { requestHash } from "../../lib/request-hash.js";
import type { Answer } from "../with-idempotency.js";
import type { WorkTracker } from "../work-tracker.js";
import type { BookingChange, ChangeRequest } from "./change-booking.js";
import { ChangeIdempotency } from "./change-idempotency.js";

/** POST /api/bookings/:id/change, one call for its route: honours an Idempotency-Key, tracked for shutdown. */
export class ChangeService {
  constructor(
    private readonly change: BookingChange,
    private readonly idempotency: ChangeIdempotency,
    private readonly work: WorkTracker,
  ) {}

  /** `holdNonce`: the booking's, whose ref scopes the key (ChangeIdempotency.scope). */
  run(req: ChangeRequest, key: string | undefined, holdNonce: string | null): Promise<Answer> {
    return this.work.track(this.once(req, key, holdNonce));
  }

  private async once(req: ChangeRequest, key: string | undefined, holdNonce: string | null): Promise<Answer> {
    if (!key) {
      const response = await this.change.run(req, null);
      // Without a key no row can hold one: the change answers for itself.
      if (!("code" in response)) throw new Error("change: a change without a key found a keyed row");
      return { response, replayed: false };
    }
    const hash = requestHash({ booking_id: req.bookingId, flight_ids: req.flightIds, date: req.date });
    const scope = ChangeIdempotency.scope(bookingRef(req.bookingId, holdNonce), key);
    return this.idempotency.withIdempotency(scope, hash, () => this.change.run(req, { key, hash }));
  }
}
