import t from "tap";
import { PaymentClient } from "../../../booking-svc/clients/payment-client.js";
import { Upstream } from "../../../lib/upstream.js";
import { build, charge } from "../../helpers/payment-mock.js";

// A cancellation refunds each of a booking's payments in full: one that a change's or a
// cancelled leg's part refunds already gave back is owed nothing, not refused.

t.test("a full refund of a payment its part refunds used up is nothing to refund", async (t) => {
  const mock = await build(t);
  const up = new Upstream("payment-mock", mock.url, 2_000, 1);
  t.teardown(() => up.close());
  const client = new PaymentClient(up, 1);
  const paid = await mock.call("POST", "/api/payments/process", charge({ amount: 30 }));
  const id = paid.body.payment_id;
  t.match(await client.refundPart(id, 10, "change-1"), { kind: "refunded" });
  t.match(await client.refundPart(id, 20, "change-2"), { kind: "refunded" });
  t.same(await client.refund(id), { kind: "nothing" });
  t.same(await client.refund(id), { kind: "nothing" }, "and again on a retried cancellation");

  const whole = await mock.call("POST", "/api/payments/process", charge({ booking_id: 2, amount: 30 }));
  const first = await client.refund(whole.body.payment_id);
  t.match(first, { kind: "refunded" });
  t.same(await client.refund(whole.body.payment_id), first, "a repeated full refund answers the first");
});
