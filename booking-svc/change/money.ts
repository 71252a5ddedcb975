// What a change costs, in integer cents (as lib/money.ts): the fare difference plus the change
// fee is charged when positive and refunded when negative, and a refund is taken from the
// booking's payments newest first, so that each payment is refunded at most what it charged.

import { fromCents } from "../../lib/money.js";

/** One of a booking's payments: its first charge, or a completed change's. */
export interface PaidPayment {
  paymentId: string;
  amountCents: number;
  refundedCents: number;
}

export interface RefundPart {
  payment_id: string;
  amount: number;
}

export interface ChangeMoney {
  fareDifference: number;
  fee: number;
  charge: number;
  refund: number;
  refundPlan: RefundPart[];
}

/** What a completed change left on the booking's payments. */
export interface CompletedChange {
  fromAmount: number;
  paymentId: string | null;
  chargeAmount: number;
  refundPlan: RefundPart[];
}

export const cents = (amount: number): number => Math.round(amount * 100);

/**
 * The booking's payments, newest first, with what completed changes refunded from each. The
 * first charge was of the fare before the first change (or of today's fare when none happened).
 */
export function paymentsOf(
  booking: { paymentId: string; totalAmount: number },
  completed: CompletedChange[],
): PaidPayment[] {
  const firstAmount = completed[0]?.fromAmount ?? booking.totalAmount;
  const all: PaidPayment[] = [{ paymentId: booking.paymentId, amountCents: cents(firstAmount), refundedCents: 0 }];
  for (const c of completed) {
    if (c.paymentId) all.push({ paymentId: c.paymentId, amountCents: cents(c.chargeAmount), refundedCents: 0 });
  }
  // A part the provider refused counts as well: that payment has no more to give back there
  // (unknown to it, or less left), and the books stay those the change was priced on.
  for (const part of completed.flatMap((c) => c.refundPlan)) {
    const p = all.find((x) => x.paymentId === part.payment_id);
    if (p) p.refundedCents += cents(part.amount);
  }
  return all.reverse();
}

/** The fare difference and what the change charges (0 when it refunds), before any payment is looked at. */
export function changeCharge(
  fromAmount: number,
  toAmount: number,
  fee: number,
): { fareDifference: number; charge: number } {
  const diff = cents(toAmount) - cents(fromAmount);
  return { fareDifference: fromCents(diff), charge: fromCents(Math.max(0, diff + cents(fee))) };
}

export function changeMoney(fromAmount: number, toAmount: number, fee: number, payments: PaidPayment[]): ChangeMoney {
  const diff = cents(toAmount) - cents(fromAmount);
  const net = diff + cents(fee);
  const { refundPlan, uncoveredCents } = planRefund(Math.max(0, -net), payments);
  // What was paid always covers the fare: a refund larger than the payments means bad books.
  if (uncoveredCents > 0) {
    throw new Error(`change: ${fromCents(uncoveredCents)} of the refund is not covered by the booking's payments`);
  }
  return {
    fareDifference: fromCents(diff),
    fee: fromCents(cents(fee)),
    charge: fromCents(Math.max(0, net)),
    refund: fromCents(Math.max(0, -net)),
    refundPlan,
  };
}

/** `owedCents` taken from the payments in their order, each at most what it has left; what none covers is uncovered. */
export function planRefund(
  owedCents: number,
  payments: PaidPayment[],
): { refundPlan: RefundPart[]; uncoveredCents: number } {
  let owed = owedCents;
  const refundPlan: RefundPart[] = [];
  for (const p of payments) {
    if (owed === 0) break;
    const part = Math.min(owed, p.amountCents - p.refundedCents);
    if (part <= 0) continue;
    refundPlan.push({ payment_id: p.paymentId, amount: fromCents(part) });
    owed -= part;
  }
  return { refundPlan, uncoveredCents: owed };
}
