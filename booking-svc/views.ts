import { CATALOGUE } from "../lib/errors.js";
import type { StoredResponse } from "./idempotency.js";
import type { SagaState } from "./saga/machine.js";
import { stateOf } from "./saga/state-of.js";
import type { BookingViewT, ResultBodyT } from "./schemas.js";
import type { BookingRead, BookingRow, BookingWithLegs } from "./store/bookings-repo.js";

/** The sentence a booking shows in its `message`: a failed or failing booking shows its failure. */
export function messageFor(s: SagaState): string {
  if (s.failure) return s.failure.message;
  switch (s.step) {
    case "hold":
    case "pay":
      return "The booking is being processed; its outcome is not known yet.";
    case "confirm":
      return "The payment succeeded; the seats are being confirmed.";
    case "cancel":
    case "cancel_refund":
      return "The booking is being cancelled.";
    default:
      break;
  }
  if (s.status === "confirmed") return "Booking confirmed.";
  if (s.status === "cancelled" && s.refundRefused !== null) {
    return `Booking cancelled; the seats were released, but the payment was not refunded: ${s.refundRefused}.`;
  }
  if (s.status === "cancelled") return "Booking cancelled; the seats were released and the payment refunded.";
  return "The booking is being processed.";
}

/**
 * The status code and body of a booking request's answer: 200 confirmed (as the original and
 * its clients have it), 202 pending (outcome not known yet), a failed booking with the status of
 * its failure (402 declined, 409 no seats, 400 bad input, 503 an upstream gone), 200 for a
 * cancelled one.
 */
export function bookingResponse(bookingId: number, totalAmount: number, s: SagaState): StoredResponse {
  const body: ResultBodyT = {
    booking_id: bookingId,
    status: s.status,
    total_amount: totalAmount,
    message: messageFor(s),
  };
  if (s.paymentId) body.payment_id = s.paymentId;
  if (s.refundId) body.refund_id = s.refundId;
  let code = 200;
  if (s.status === "confirmed") code = s.step === "done" ? 200 : 202;
  else if (s.status === "pending") code = 202;
  else if (s.status === "failed" && s.failure) {
    code = CATALOGUE[s.failure.error].status;
    body.error = s.failure.error;
    if (s.failure.field) body.field = s.failure.field;
  }
  return { code, body };
}

/** The answer a booking request gets for a booking as its row stands now. */
export function currentAnswer(b: BookingRow): StoredResponse {
  return bookingResponse(b.id, b.totalAmount, stateOf(b));
}

/**
 * What the request that made the booking answered (or, for a 202, how its saga settled), rebuilt
 * from the row for a retry with its Idempotency-Key (DESIGN.md invariant 4) whatever came after:
 * a booking later cancelled, being cancelled or changed was confirmed at the fare it was booked
 * at, under its payment, with no refund. A pending or failed booking is the answer as it stands:
 * nothing but its own saga moves it.
 */
export function requestAnswer(b: BookingRow): StoredResponse {
  if (b.status === "pending" || b.status === "failed") return bookingResponse(b.id, b.bookedAmount, stateOf(b));
  return bookingResponse(b.id, b.bookedAmount, {
    step: "done",
    status: "confirmed",
    paymentId: b.paymentId,
    refundId: null,
    refundRefused: null,
    failure: null,
  });
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/**
 * GET /api/bookings/:id and the list: everything but the passengers' details. A booking read
 * without its changes and legs refunded (BookingsRepo.get) shows none.
 */
export function bookingView(
  b: BookingWithLegs & { changes?: BookingRead["changes"]; legRefunds?: BookingRead["legRefunds"] },
): BookingViewT {
  return {
    booking_id: b.id,
    user_id: b.userId,
    status: b.status,
    step: b.step,
    legs: b.legs,
    flight_ids: b.legs.map((l) => l.flight_id),
    seats: b.seats,
    date: b.travelDate,
    payment_type: b.paymentType,
    total_amount: b.totalAmount,
    payment_id: b.paymentId,
    refund_id: b.refundId,
    hold_id: b.holdId,
    message: messageFor(stateOf(b)),
    error: b.errorCode,
    passenger_count: b.passengers.length,
    created_at: b.createdAt.toISOString(),
    updated_at: b.updatedAt.toISOString(),
    confirmed_at: iso(b.confirmedAt),
    cancelled_at: iso(b.cancelledAt),
    cancel_reason: b.cancelReason,
    connection_at_risk: b.connectionAtRisk,
    changes: b.changes ?? [],
    leg_refunds: b.legRefunds ?? [],
  };
}
