import type { Registry } from "prom-client";
import { counterFrom, labelledCounterFrom } from "../lib/metrics.js";
import type { PaymentService } from "./service.js";

/** payment-mock's outcomes, read from the running totals behind GET /api/payments/stats. */
export function registerPaymentMetrics(registry: Registry, payments: PaymentService): void {
  labelledCounterFrom(
    registry,
    "skybook_payments_total",
    "Charges decided, by outcome (a timeout counts whether or not it was processed).",
    "outcome",
    () => {
      const s = payments.statsJson();
      return { success: s.success.count, failed: s.failed.count, timeout: s.timeout.count };
    },
  );
  counterFrom(registry, "skybook_payment_refunds_total", "Refunds made.", () => payments.statsJson().refunds.count);
}
