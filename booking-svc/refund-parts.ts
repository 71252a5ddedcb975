import { fromCents } from "../lib/money.js";
import { cents, type RefundPart } from "./change/money.js";
import type { PaymentMethod } from "./clients/payment-method.js";

export interface PartsRefunded {
  refundIds: string[];
  /** What the provider refused for good, summed up with why; null when every part was refunded. */
  unrefunded: { amount: number; reason: string } | null;
}

/**
 * Refunds each part of a refund plan (change/money.ts planRefund) from its payment under
 * `<key>-<n>`, which the provider answers once, so a retry repeats the refund instead of doubling
 * it. `refused` hears of each part the provider refused for good.
 */
export async function refundParts(
  method: PaymentMethod,
  plan: RefundPart[],
  key: string,
  refused: (part: RefundPart, reason: string) => void,
): Promise<PartsRefunded> {
  const refundIds: string[] = [];
  let refusedCents = 0;
  const reasons = new Set<string>();
  for (const [i, part] of plan.entries()) {
    const out = await method.refundPart(part.payment_id, part.amount, `${key}-${i + 1}`);
    if (out.kind === "refunded") refundIds.push(out.refundId);
    if (out.kind !== "refused") continue;
    refused(part, out.reason);
    refusedCents += cents(part.amount);
    reasons.add(out.reason);
  }
  const unrefunded = refusedCents > 0 ? { amount: fromCents(refusedCents), reason: [...reasons].join("; ") } : null;
  return { refundIds, unrefunded };
}
