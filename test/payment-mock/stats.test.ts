import t from "tap";
import { PaymentStats } from "../../payment-mock/stats.js";
import { payment } from "../helpers/payment-fixtures.js";

t.test("totals by outcome are exact in cents and net of refunds", async (t) => {
  const s = new PaymentStats();
  for (let i = 0; i < 10; i++) s.recordPayment(payment({ amountCents: 10 }));
  s.recordPayment(payment({ amountCents: 20, status: "failed", declineCode: "card_declined" }));
  s.recordTimeout(false);
  s.recordTimeout(true);
  s.recordRefund(30);
  t.same(s.toJson(), {
    success: { count: 10, amount: 1 },
    failed: { count: 1, amount: 0.2 },
    timeout: { count: 2, processed: 1 },
    refunds: { count: 1, amount: 0.3 },
    net_amount: 0.7,
  });
  s.reset();
  t.same(s.toJson(), {
    success: { count: 0, amount: 0 },
    failed: { count: 0, amount: 0 },
    timeout: { count: 0, processed: 0 },
    refunds: { count: 0, amount: 0 },
    net_amount: 0,
  });
});
