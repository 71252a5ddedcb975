import type { OUTCOMES } from "../contracts/payment-mock/payments.js";
import type { PaymentType } from "../lib/input-schemas.js";
import type { DeclineCode } from "./declines.js";

export type { PaymentType };

export type Outcome = (typeof OUTCOMES)[number];

/** A validated charge request, amount in cents. */
export interface ChargeRequest {
  bookingId: number;
  userId: number;
  amountCents: number;
  paymentType: PaymentType;
}

export interface Refund {
  id: string;
  paymentId: string;
  amountCents: number;
  /** Total refunded on the payment once this refund was made. */
  refundedCentsAfter: number;
  createdAt: string;
}

export interface Payment extends ChargeRequest {
  id: string;
  status: "success" | "failed";
  declineCode: DeclineCode | null;
  idempotencyKey: string | null;
  createdAt: string;
  refundedCents: number;
  /** The full refund (asked without an amount, or for the whole payment) that completed it: a repeat returns it. */
  fullRefund: Refund | null;
}

/** Whether two requests are the same charge (a replay) rather than a key reused for another. */
export function sameCharge(a: ChargeRequest, b: ChargeRequest): boolean {
  return (
    a.bookingId === b.bookingId &&
    a.userId === b.userId &&
    a.amountCents === b.amountCents &&
    a.paymentType === b.paymentType
  );
}
