import { AppError } from "../lib/errors.js";
import { fromCents } from "../lib/money.js";
import type { Payment, Refund } from "./types.js";

export type RefundPlan = { kind: "replay"; refund: Refund } | { kind: "refund"; amountCents: number; full: boolean };

/**
 * What a refund request for `p` does. `requestedCents` undefined means "everything left".
 * A full refund (no amount, or the whole payment amount) of a payment that a full refund
 * completed returns that refund, so repeating it never refunds twice. One that part refunds
 * used up is no repeat of any of them: it is refused, as there is nothing left to give back.
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
  if (left === 0 && full) {
    if (p.fullRefund !== null) return { kind: "replay", refund: p.fullRefund };
    throw new AppError("payment_refunded", undefined, {
      payment_id: p.id,
      refunded_amount: fromCents(p.refundedCents),
    });
  }
  const amountCents = requestedCents ?? left;
  if (amountCents > left) {
    throw new AppError("conflict", "The refund is larger than what is left to refund on the payment.", {
      payment_id: p.id,
      refundable_amount: fromCents(left),
    });
  }
  return { kind: "refund", amountCents, full };
}

/** Applies a planned refund to the payment and returns the refund record; `full`: asked for everything left. */
export function applyRefund(p: Payment, amountCents: number, id: string, createdAt: string, full: boolean): Refund {
  p.refundedCents += amountCents;
  const refund: Refund = { id, paymentId: p.id, amountCents, refundedCentsAfter: p.refundedCents, createdAt };
  if (full) p.fullRefund = refund;
  return refund;
}
