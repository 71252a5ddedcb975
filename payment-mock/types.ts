import type { PaymentType } from "../lib/input-schemas.js";
import type { TIMEOUT_OUTCOMES } from "./config.js";
import type { DeclineCode } from "./declines.js";

export type { PaymentType };

export const OUTCOMES = ["success", "failure", "timeout"] as const;
export type Outcome = (typeof OUTCOMES)[number];

export type TimeoutOutcome = (typeof TIMEOUT_OUTCOMES)[number];

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
  /** The latest refund: a repeated full refund returns the one that completed the payment. */
  lastRefund: Refund | null;
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
