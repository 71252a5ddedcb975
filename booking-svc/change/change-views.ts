import { CATALOGUE } from "../../lib/errors.js";
import { fromCents } from "../../lib/money.js";
import type { StoredResponse } from "../idempotency.js";
import type { BookingWithLegs } from "../store/bookings-repo.js";
import type { ChangeRow } from "../store/changes-repo.js";
import type { ChangeResultT } from "./change-schemas.js";
import { cents } from "./money.js";

/** What a change gave back: what it owed, less what the provider refused to refund. */
export const refundedOf = (refundAmount: number, unrefundedAmount: number): number =>
  fromCents(cents(refundAmount) - cents(unrefundedAmount));

/** The sentence for a refund the provider refused, in a change's answer and in the booking's history. */
export const notRefunded = (amount: number, reason: string): string =>
  `${amount} of its refund was not made: ${reason}.`;

function messageOf(c: ChangeRow): string {
  if (c.status === "completed" && c.unrefundedReason !== null) {
    return `Booking changed, but ${notRefunded(c.unrefundedAmount, c.unrefundedReason)}`;
  }
  if (c.status === "completed") return "Booking changed.";
  if (c.status === "failed") {
    const failed = c.failureMessage ?? "The change failed; the booking was not changed.";
    if (c.unrefundedReason === null) return failed;
    return `${failed} The charge of ${c.unrefundedAmount} was not refunded: ${c.unrefundedReason}.`;
  }
  return "The change is being processed; its outcome is not known yet.";
}

/**
 * A change request's answer: 200 completed, 202 still running (the sweeper finishes or undoes
 * it), a failed change with the status of its failure (409 no seats, 402 declined, 503 an
 * upstream gone). The booking's own fields say what the change left it: changed, or as it was.
 * They come from the change's row, not the booking as it is now, so that a retry with its
 * Idempotency-Key answers the same after later changes or a cancellation (invariant 4). The
 * booking is confirmed from a change's start to its end: nothing else may move it meanwhile.
 */
export function changeAnswer(c: ChangeRow, b: BookingWithLegs): StoredResponse {
  const completed = c.status === "completed";
  // A failed change whose charge the provider would not refund has kept that money: it shows.
  const chargeKept = c.status === "failed" && c.unrefundedReason !== null;
  const body: ChangeResultT = {
    booking_id: c.bookingId,
    change_id: c.id,
    change_status: c.status,
    status: "confirmed",
    flight_ids: completed ? c.toLegs.map((l) => l.flight_id) : c.fromFlightIds,
    // A change recorded before migration 015 has no date of its own to go back to.
    date: completed ? c.travelDate : (c.fromTravelDate ?? b.travelDate),
    total_amount: completed ? c.toAmount : c.fromAmount,
    fare_difference: Math.round((c.toAmount - c.fromAmount) * 100) / 100,
    fee: c.fee,
    charged: completed || chargeKept ? c.chargeAmount : 0,
    refunded: completed ? refundedOf(c.refundAmount, c.unrefundedAmount) : 0,
    message: messageOf(c),
  };
  if ((completed || chargeKept) && c.unrefundedReason !== null) body.not_refunded = c.unrefundedAmount;
  if (c.paymentId && (completed || chargeKept)) body.payment_id = c.paymentId;
  let code = completed ? 200 : 202;
  if (c.status === "failed" && c.errorCode) {
    code = CATALOGUE[c.errorCode].status;
    body.error = c.errorCode;
    if (c.errorField) body.field = c.errorField;
  }
  return { code, body: body as unknown as StoredResponse["body"] };
}
