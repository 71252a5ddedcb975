import type { FastifyBaseLogger } from "fastify";
import type { NoticeBody, NoticeKind } from "../../contracts/events/stream.js";
import type { EventAppender } from "../../lib/events/append-event.js";
import type { BookingsRepo, BookingWithLegs } from "../store/bookings-repo.js";
import { GroupedWrites } from "../store/grouped-writes.js";

const OWED_BATCH = 100;
const OWED_AFTER_SECONDS = 5;

/**
 * Booking notices on the events stream, for user-svc to push to the traveller. Each has a
 * dedupe id of its own, so a notice sent again after a crash or by a second instance is one entry.
 */
/** A confirmed booking as its notice names it. */
export interface Confirmed {
  id: number;
  userId: number;
  flightIds: number[];
}

export class BookingNotices {
  private readonly sent: GroupedWrites<number>;

  constructor(
    private readonly appender: EventAppender,
    private readonly repo: BookingsRepo,
    private readonly log: FastifyBaseLogger,
  ) {
    this.sent = new GroupedWrites((ids) => repo.confirmNoticesSent(ids), OWED_BATCH);
  }

  send(b: BookingWithLegs, kind: NoticeKind, dedupeId: string, reason: string | null = null): Promise<string> {
    return this.append(
      { id: b.id, userId: b.userId, flightIds: b.legs.map((l) => l.flight_id) },
      kind,
      dedupeId,
      reason,
    );
  }

  private append(b: Confirmed, kind: NoticeKind, dedupeId: string, reason: string | null = null): Promise<string> {
    const body: NoticeBody = {
      user_id: b.userId,
      booking_id: b.id,
      kind,
      flight_ids: b.flightIds,
      reason,
      at: new Date().toISOString(),
    };
    return this.appender.append(dedupeId, "notice", body);
  }

  /**
   * A booking confirmed: its traveller is subscribed to its flights (user-svc does that on this
   * notice). The confirmation itself marked the notice owed (bookings-repo save); it is cleared
   * once sent, or once the booking is no longer confirmed, in groups (a crash before the clear
   * only sends the notice again, which appends nothing). The saga that has just confirmed the
   * booking passes what the notice says; the sweeper's owed notices read the row. A failure
   * fails nothing: the booking stands, and `sendOwed` (each sweeper round) tries again.
   */
  async confirmed(bookingId: number, just: Confirmed | null = null): Promise<void> {
    try {
      const b = just ?? (await this.confirmedRow(bookingId));
      if (b) await this.append(b, "booking_confirmed", `booking-confirmed-${b.id}`);
      await this.sent.add(bookingId);
    } catch (err) {
      this.log.warn({ err: (err as Error).message, booking_id: bookingId }, "booking confirmation notice not sent");
    }
  }

  private async confirmedRow(bookingId: number): Promise<Confirmed | null> {
    const b = await this.repo.get(bookingId);
    return b?.status === "confirmed" ? { id: b.id, userId: b.userId, flightIds: b.legs.map((l) => l.flight_id) } : null;
  }

  /**
   * The confirmation notices a crash (or Redis away) left owed. Only those older than a few
   * seconds, so as not to race the request that is sending its own; a race would cost nothing
   * anyway, each notice being appended once.
   */
  async sendOwed(): Promise<void> {
    for (const id of await this.repo.confirmNoticesDue(OWED_BATCH, OWED_AFTER_SECONDS)) await this.confirmed(id);
  }
}
