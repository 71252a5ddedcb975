import type { FastifyBaseLogger } from "fastify";
import type { NoticeBody, NoticeKind } from "../../contracts/events/stream.js";
import type { EventAppender } from "../../lib/events/append-event.js";
import type { BookingsRepo, BookingWithLegs } from "../store/bookings-repo.js";

/**
 * Booking notices on the events stream, for user-svc to push to the traveller. Each has a
 * dedupe id of its own, so a notice sent again after a crash or by a second instance is one entry.
 */
export class BookingNotices {
  constructor(
    private readonly appender: EventAppender,
    private readonly repo: BookingsRepo,
    private readonly log: FastifyBaseLogger,
  ) {}

  send(b: BookingWithLegs, kind: NoticeKind, dedupeId: string, reason: string | null = null): Promise<string> {
    const body: NoticeBody = {
      user_id: b.userId,
      booking_id: b.id,
      kind,
      flight_ids: b.legs.map((l) => l.flight_id),
      reason,
      at: new Date().toISOString(),
    };
    return this.appender.append(dedupeId, "notice", body);
  }

  /**
   * A booking confirmed: its traveller is subscribed to its flights (user-svc does that on this
   * notice). Not sending it fails nothing: the booking stands, and the failure is logged.
   */
  async confirmed(bookingId: number): Promise<void> {
    try {
      const b = await this.repo.get(bookingId);
      if (b?.status === "confirmed") await this.send(b, "booking_confirmed", `booking-confirmed-${b.id}`);
    } catch (err) {
      this.log.warn({ err: (err as Error).message, booking_id: bookingId }, "booking confirmation notice not sent");
    }
  }
}
