import t from "tap";
import type { AppError } from "../../lib/errors.js";
import { applyRefund, planRefund } from "../../payment-mock/refunds.js";
import { payment } from "../helpers/payment-fixtures.js";

const now = "2024-02-15T08:00:00.000Z";

function conflict(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    const e = err as AppError;
    return { code: e.code, status: e.statusCode, details: e.details };
  }
  return "no error";
}

t.test("no amount refunds what is left", async (t) => {
  const p = payment({ amountCents: 10_000 });
  t.same(planRefund(p, undefined), { kind: "refund", amountCents: 10_000, full: true });
  applyRefund(p, 2_500, "ref_1", now, false);
  t.same(planRefund(p, undefined), { kind: "refund", amountCents: 7_500, full: true });
});

t.test("partial refunds add up; the payment remembers the latest", async (t) => {
  const p = payment({ amountCents: 10_000 });
  const a = applyRefund(p, 2_500, "ref_a", now, false);
  const b = applyRefund(p, 7_500, "ref_b", now, false);
  t.same(a, {
    id: "ref_a",
    paymentId: p.id,
    amountCents: 2_500,
    refundedCentsAfter: 2_500,
    createdAt: now,
  });
  t.equal(b.refundedCentsAfter, 10_000);
  t.equal(p.refundedCents, 10_000);
});

t.test("repeating a full refund returns the refund that completed it", async (t) => {
  const p = payment({ amountCents: 10_000 });
  const full = applyRefund(p, 10_000, "ref_full", now, true);
  t.same(planRefund(p, undefined), { kind: "replay", refund: full });
  t.same(planRefund(p, 10_000), { kind: "replay", refund: full });
  const rest = payment({ amountCents: 10_000 });
  applyRefund(rest, 2_500, "ref_part", now, false);
  t.same(planRefund(rest, undefined), { kind: "refund", amountCents: 7_500, full: true });
  const last = applyRefund(rest, 7_500, "ref_rest", now, true);
  t.same(planRefund(rest, undefined), { kind: "replay", refund: last }, "the full refund that took what was left");
});

t.test("a full refund after part refunds used up the payment says it is refunded in full", async (t) => {
  const p = payment({ amountCents: 10_000 });
  applyRefund(p, 2_500, "ref_1", now, false);
  applyRefund(p, 7_500, "ref_2", now, false);
  const refused = { code: "payment_refunded", status: 409, details: { payment_id: p.id, refunded_amount: 100 } };
  t.same(
    conflict(() => planRefund(p, undefined)),
    refused,
  );
  t.same(
    conflict(() => planRefund(p, 10_000)),
    refused,
    "the whole amount named is the same full refund",
  );
});

t.test("more than is left is a conflict that says how much is left", async (t) => {
  const p = payment({ amountCents: 10_000 });
  applyRefund(p, 6_000, "ref_1", now, false);
  t.same(
    conflict(() => planRefund(p, 5_000)),
    {
      code: "conflict",
      status: 409,
      details: { payment_id: p.id, refundable_amount: 40 },
    },
  );
  t.same(
    conflict(() => planRefund(p, 10_000)),
    {
      code: "conflict",
      status: 409,
      details: { payment_id: p.id, refundable_amount: 40 },
    },
  );
  applyRefund(p, 4_000, "ref_2", now, false);
  t.same(
    conflict(() => planRefund(p, 1)),
    {
      code: "conflict",
      status: 409,
      details: { payment_id: p.id, refundable_amount: 0 },
    },
  );
});

t.test("a failed payment cannot be refunded", async (t) => {
  const p = payment({ status: "failed", declineCode: "card_declined" });
  t.same(
    conflict(() => planRefund(p, undefined)),
    {
      code: "conflict",
      status: 409,
      details: { payment_id: p.id, payment_status: "failed" },
    },
  );
});
