import { AppError } from "../lib/errors.js";
import { fromCents } from "../lib/money.js";
import type { Payment, Refund } from "./types.js";

export type RefundPlan = { kind: "replay"; refund: Refund } | { kind: "refund"; amountCents: number };

/**
 * What a refund request for `p` does. `requestedCents` undefined means "everything left".
 * A full refund (no amount, or the whole payment amount) of a payment that is already fully
 * refunded returns the refund that completed it, so repeating it never refunds twice.
 */
export function planRefund(p: Payment, requestedCents: number | undefined): RefundPlan {
  if (p.status !== "success") {
    throw new AppError("conflict", "Only a successful payment can be refunded.", {
      payment_id: p.id,
      payment_status: p.status,
    });
  }
  const left = p.amountCents - p.refundedCents;
  const full = requestedCents === undefined || requestedCents === p.amountCents;
  if (left === 0 && full && p.lastRefund !== null) return { kind: "replay", refund: p.lastRefund };
  const amountCents = requestedCents ?? left;
  if (amountCents > left) {
    throw new AppError("conflict", "The refund is larger than what is left to refund on the payment.", {
      payment_id: p.id,
      refundable_amount: fromCents(left),
    });
  }
  return { kind: "refund", amountCents };
}

/** Applies a planned refund to the payment and returns the refund record. */
export function applyRefund(p: Payment, amountCents: number, id: string, createdAt: string): Refund {
  p.refundedCents += amountCents;
  const refund: Refund = { id, paymentId: p.id, amountCents, refundedCentsAfter: p.refundedCents, createdAt };
  p.lastRefund = refund;
  return refund;
}
