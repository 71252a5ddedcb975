import type { Payment } from "../../payment-mock/types.js";

let next = 0;

/** A stored payment for unit tests; ids are unique per process. */
export function payment(over: Partial<Payment> = {}): Payment {
  next++;
  return {
    id: `pay_${next}`,
    bookingId: next,
    userId: 7,
    amountCents: 10_000,
    paymentType: "credit_card",
    status: "success",
    declineCode: null,
    idempotencyKey: null,
    createdAt: new Date(0).toISOString(),
    refundedCents: 0,
    fullRefund: null,
    ...over,
  };
}
