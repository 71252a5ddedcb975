import { fromCents } from "../lib/money.js";
import type { Payment } from "./types.js";

export interface StatsJson {
  success: { count: number; amount: number };
  failed: { count: number; amount: number };
  timeout: { count: number; processed: number };
  refunds: { count: number; amount: number };
  net_amount: number;
}

/**
 * Running totals in cents, kept apart from the payment store so that they stay exact when the
 * store evicts old payments: a stress run checks money against bookings with these.
 */
export class PaymentStats {
  private successCount = 0;
  private successCents = 0;
  private failedCount = 0;
  private failedCents = 0;
  private timeoutCount = 0;
  private timeoutProcessed = 0;
  private refundCount = 0;
  private refundCents = 0;

  recordPayment(p: Payment): void {
    if (p.status === "success") {
      this.successCount++;
      this.successCents += p.amountCents;
    } else {
      this.failedCount++;
      this.failedCents += p.amountCents;
    }
  }

  recordTimeout(processed: boolean): void {
    this.timeoutCount++;
    if (processed) this.timeoutProcessed++;
  }

  recordRefund(cents: number): void {
    this.refundCount++;
    this.refundCents += cents;
  }

  reset(): void {
    Object.assign(this, new PaymentStats());
  }

  toJson(): StatsJson {
    return {
      success: { count: this.successCount, amount: fromCents(this.successCents) },
      failed: { count: this.failedCount, amount: fromCents(this.failedCents) },
      timeout: { count: this.timeoutCount, processed: this.timeoutProcessed },
      refunds: { count: this.refundCount, amount: fromCents(this.refundCents) },
      net_amount: fromCents(this.successCents - this.refundCents),
    };
  }
}
