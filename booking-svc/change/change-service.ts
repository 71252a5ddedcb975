import { requestHash } from "../idempotency.js";
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

  run(req: ChangeRequest, key: string | undefined): Promise<Answer> {
    return this.work.track(this.once(req, key));
  }

  private async once(req: ChangeRequest, key: string | undefined): Promise<Answer> {
    if (!key) {
      const response = await this.change.run(req, null);
      // Without a key no row can hold one: the change answers for itself.
      if (!("code" in response)) throw new Error("change: a change without a key found a keyed row");
      return { response, replayed: false };
    }
    const hash = requestHash({ booking_id: req.bookingId, flight_ids: req.flightIds, date: req.date });
    return this.idempotency.withIdempotency(ChangeIdempotency.scope(req.bookingId, key), hash, () =>
      this.change.run(req, { key, hash }),
    );
  }
}
