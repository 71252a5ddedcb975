import type { FastifyBaseLogger } from "fastify";
import type { NoticeBody, NoticeKind } from "../../contracts/events/stream.js";
import { bookingRef } from "../../contracts/flight-svc/booking-ref.js";
import type { EventAppender } from "../../lib/events/append-event.js";
import { bookingHoldId } from "../hold-ids.js";
import type { BookingsRepo, BookingWithLegs } from "../store/bookings-repo.js";
import { GroupedWrites } from "../store/grouped-writes.js";

const OWED_BATCH = 100;
const OWED_AFTER_SECONDS = 5;

// The stream keeps dedupe ids for its retention period, longer than bookings_db may keep a booking
// id unique (restored, re-created): a booking's nonce keeps a new booking's notices from being
// dropped as those of an old one with its id. Rows from before migration 019 keep the ids their
// notices were sent under, so a retry does not send them again.
const confirmedDedupeId = (b: Booking) => `booking-confirmed-${bookingRef(b.id, b.holdNonce)}`;
export const cancelledDedupeId = (b: Booking) => `booking-cancelled-${bookingRef(b.id, b.holdNonce)}`;
export const atRiskDedupeId = (b: Booking, eventId: string) =>
  `connection-at-risk-${bookingRef(b.id, b.holdNonce)}-${eventId}`;

interface Booking {
  id: number;
  holdNonce: string | null;
}

/** A confirmed booking as its notice names it. */
export interface Confirmed extends Booking {
  userId: number;
  flightIds: number[];
}

/**
 * Booking notices on the events stream, for user-svc to push to the traveller. Each has a
 * dedupe id of its own, so a notice sent again after a crash or by a second instance is one entry.
 */
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
      { id: b.id, holdNonce: b.holdNonce, userId: b.userId, flightIds: b.legs.map((l) => l.flight_id) },
      kind,
      dedupeId,
      reason,
    );
  }

  private append(b: Confirmed, kind: NoticeKind, dedupeId: string, reason: string | null = null): Promise<string> {
    const body: NoticeBody = {
      user_id: b.userId,
      booking_id: b.id,
      booking_ref: bookingRef(b.id, b.holdNonce),
      kind,
      flight_ids: b.flightIds,
      reason,
      at: new Date().toISOString(),
    };
    return this.appender.append(dedupeId, "notice", body);
  }

  /**
   * A booking about to be saved confirmed: its traveller is subscribed to its flights (user-svc
   * does that on this notice). Sent before the save, which then leaves the notice not owed; false
   * when it could not be sent (the save marks it owed, for `sendOwed`). Should the save not
   * happen, whoever confirms the booking sends it again, which appends nothing.
   */
  async beforeSave(b: Confirmed): Promise<boolean> {
    try {
      await this.append(b, "booking_confirmed", confirmedDedupeId(b));
      return true;
    } catch (err) {
      this.notSent(b.id, err);
      return false;
    }
  }

  /**
   * A booking saved with its notice owed (confirmed by a claimed row's saga, whose legs were not
   * read, or with a notice that failed before the save; or cancelled): its notice as the row
   * stands, sent, and cleared, in groups (a crash before the clear only sends the notice again).
   * A failure fails nothing: the booking stands, and `sendOwed` (each sweeper round) tries again.
   */
  async owed(bookingId: number): Promise<void> {
    try {
      const b = await this.repo.get(bookingId);
      const notice = b ? noticeOf(b) : null;
      if (b && notice) await this.send(b, notice.kind, notice.dedupeId, notice.reason);
      await this.sent.add(bookingId);
    } catch (err) {
      this.notSent(bookingId, err);
    }
  }

  private notSent(bookingId: number, err: unknown): void {
    this.log.warn({ err: (err as Error).message, booking_id: bookingId }, "booking notice not sent");
  }

  /**
   * The notices a crash (or Redis away) left owed. Only those older than a few
   * seconds, so as not to race the request that is sending its own; a race would cost nothing
   * anyway, each notice being appended once.
   */
  async sendOwed(): Promise<void> {
    for (const id of await this.repo.confirmNoticesDue(OWED_BATCH, OWED_AFTER_SECONDS)) await this.owed(id);
  }
}

/**
 * The notice a booking's state owes its traveller. A completed change confirms it again on its new
 * legs, held as its own hold id and `-c<n>`: that notice has a dedupe id of its own, so its
 * traveller follows the new flights. The suffix is cut after the booking's own hold id, nonce and
 * all (migration 019): a nonce is hex, and could read as a change's `c<n>`. A cancellation's dedupe id is the disruption handler's, so a booking's
 * cancellation is one notice whoever sends it.
 */
function noticeOf(b: BookingWithLegs): { kind: NoticeKind; dedupeId: string; reason: string | null } | null {
  if (b.status === "confirmed") {
    const own = bookingHoldId(b.id, b.holdNonce);
    const change = b.holdId.startsWith(`${own}-`) ? b.holdId.slice(own.length) : "";
    return { kind: "booking_confirmed", dedupeId: `${confirmedDedupeId(b)}${change}`, reason: null };
  }
  if (b.status === "cancelled") {
    return { kind: "booking_cancelled", dedupeId: cancelledDedupeId(b), reason: b.cancelReason };
  }
  return null;
}
