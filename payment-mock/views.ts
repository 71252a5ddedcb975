import { fromCents } from "../lib/money.js";
import { declineMessage } from "./declines.js";
import type { Payment, Refund } from "./types.js";

export const SUCCESS_MESSAGE = "Payment processed successfully.";
export const TIMEOUT_MESSAGE =
  "The payment provider did not answer in time; look the payment up by its Idempotency-Key to learn whether it was charged.";

/** The answer of POST /api/payments/process (and of its replays). */
export function processView(p: Payment) {
  if (p.status === "success") {
    return {
      payment_id: p.id,
      booking_id: p.bookingId,
      amount: fromCents(p.amountCents),
      status: p.status,
      message: SUCCESS_MESSAGE,
      created_at: p.createdAt,
    };
  }
  return {
    payment_id: p.id,
    booking_id: p.bookingId,
    amount: fromCents(p.amountCents),
    status: p.status,
    // A failed payment always carries the reason it was declined for (decide() picks one).
    decline_code: p.declineCode!,
    message: declineMessage(p.declineCode!),
  };
}

/** The answer of the status lookups. */
export function paymentView(p: Payment) {
  return {
    payment_id: p.id,
    booking_id: p.bookingId,
    user_id: p.userId,
    amount: fromCents(p.amountCents),
    payment_type: p.paymentType,
    status: p.status,
    ...(p.declineCode === null ? {} : { decline_code: p.declineCode }),
    refunded_amount: fromCents(p.refundedCents),
    idempotency_key: p.idempotencyKey,
    created_at: p.createdAt,
  };
}

export function refundView(r: Refund) {
  return {
    refund_id: r.id,
    payment_id: r.paymentId,
    amount: fromCents(r.amountCents),
    refunded_amount: fromCents(r.refundedCentsAfter),
    status: "refunded" as const,
    created_at: r.createdAt,
  };
}
