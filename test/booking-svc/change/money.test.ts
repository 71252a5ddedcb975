import t from "tap";
import { changeMoney, paymentsOf } from "../../../booking-svc/change/money.js";

t.test("a dearer change charges the difference and the fee; a cheaper one refunds the rest", async (t) => {
  const pays = paymentsOf({ paymentId: "p0", totalAmount: 100 }, []);
  t.same(changeMoney(100, 150.5, 10, pays), { fareDifference: 50.5, fee: 10, charge: 60.5, refund: 0, refundPlan: [] });
  t.same(changeMoney(100, 60, 10, pays), {
    fareDifference: -40,
    fee: 10,
    charge: 0,
    refund: 30,
    refundPlan: [{ payment_id: "p0", amount: 30 }],
  });
  t.same(changeMoney(100, 95, 5, pays), { fareDifference: -5, fee: 5, charge: 0, refund: 0, refundPlan: [] });
});

t.test("a refund comes from the newest payments first, each at most what it has left", async (t) => {
  // 100 paid, changed to 500 (charged 400 under p1), then to 50: 450 back, 400 from p1 and 50 from p0.
  const pays = paymentsOf({ paymentId: "p0", totalAmount: 500 }, [
    { fromAmount: 100, paymentId: "p1", chargeAmount: 400, refundPlan: [] },
  ]);
  t.same(changeMoney(500, 50, 0, pays).refundPlan, [
    { payment_id: "p1", amount: 400 },
    { payment_id: "p0", amount: 50 },
  ]);
  const after = paymentsOf({ paymentId: "p0", totalAmount: 50 }, [
    { fromAmount: 100, paymentId: "p1", chargeAmount: 400, refundPlan: [] },
    {
      fromAmount: 500,
      paymentId: null,
      chargeAmount: 0,
      refundPlan: [
        { payment_id: "p1", amount: 400 },
        { payment_id: "p0", amount: 50 },
      ],
    },
  ]);
  t.same(changeMoney(50, 10, 0, after).refundPlan, [{ payment_id: "p0", amount: 40 }], "p1 has nothing left");
  t.throws(() => changeMoney(50, 0, 0, [{ paymentId: "p0", amountCents: 1000, refundedCents: 1000 }]));
});
