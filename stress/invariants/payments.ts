import type { InvariantResult } from "../report/types.js";
import { cents, first, money, type Observations, result } from "./observations.js";

// Money: per booking (its own charge, of its amount, refunded unless confirmed, a confirmed one
// only its cancelled legs' fares) and as payment-mock's counters moved during the scenario, so
// that no charge escapes a booking.
// Bookings paid in miles are the miles invariants' (miles.ts): none of them may be charged money.

const inMoney = (o: Observations) => o.bookings.filter((b) => b.payment_type !== "miles");

function statsDelta(o: Observations) {
  return {
    charged: o.statsAfter.success.count - o.statsBefore.success.count,
    chargedCents: cents(o.statsAfter.success.amount) - cents(o.statsBefore.success.amount),
    refunds: o.statsAfter.refunds.count - o.statsBefore.refunds.count,
    refundedCents: cents(o.statsAfter.refunds.amount) - cents(o.statsBefore.refunds.amount),
  };
}

export function paymentsBalance(o: Observations): InvariantResult {
  const d = statsDelta(o);
  const confirmed = inMoney(o).filter((b) => b.status === "confirmed");
  const confirmedCents = confirmed.reduce((a, b) => a + cents(b.total_amount) - cents(b.leg_refunded), 0);
  const legRefunds = inMoney(o).reduce((a, b) => a + b.leg_refunds, 0);
  const countOk = confirmed.length === d.charged - (d.refunds - legRefunds);
  const amountOk = confirmedCents === d.chargedCents - d.refundedCents;
  const detail =
    `${confirmed.length} confirmed ${countOk ? "=" : "≠"} ${d.charged} charged − ${d.refunds} refunded; ` +
    `${money(confirmedCents)} ${amountOk ? "=" : "≠"} ${money(d.chargedCents)} − ${money(d.refundedCents)}`;
  return result("confirmed = payments − refunds", countOk && amountOk, detail);
}

export function noBookingWithoutPayment(o: Observations): InvariantResult {
  const bad: string[] = [];
  let n = 0;
  for (const b of inMoney(o)) {
    if (b.status !== "confirmed") continue;
    n++;
    const p = o.payments.get(b.id);
    if (!p) bad.push(`booking ${b.id}: no payment`);
    else if (p.status !== "success") bad.push(`booking ${b.id}: payment ${p.payment_id} is ${p.status}`);
    else if (p.booking_id !== b.id) bad.push(`booking ${b.id}: payment ${p.payment_id} is for booking ${p.booking_id}`);
    else if (cents(p.amount) !== cents(b.total_amount)) {
      bad.push(`booking ${b.id}: charged ${p.amount}, booking costs ${b.total_amount}`);
    } else if (cents(p.refunded_amount) !== cents(b.leg_refunded)) {
      bad.push(`booking ${b.id}: confirmed but refunded ${p.refunded_amount} (its cancelled legs: ${b.leg_refunded})`);
    } else if (b.payment_id !== null && b.payment_id !== p.payment_id) {
      bad.push(`booking ${b.id}: records payment ${b.payment_id}, charged as ${p.payment_id}`);
    }
  }
  const detail = `${n} confirmed bookings, each with its own successful, unrefunded charge of its amount`;
  return result("no booking without payment", bad.length === 0, bad.length ? first(bad) : detail);
}

export function noPaymentWithoutBooking(o: Observations): InvariantResult {
  const bad: string[] = [];
  let charged = 0;
  let chargedCents = 0;
  let refunded = 0;
  let refundedCents = 0;
  for (const b of o.bookings) {
    const p = o.payments.get(b.id);
    if (p?.status !== "success") continue;
    charged++;
    chargedCents += cents(p.amount);
    // A cancelled leg's refund is one of its own; the rest of the payment, one more.
    refunded += b.leg_refunds;
    if (cents(p.refunded_amount) > cents(b.leg_refunded)) refunded++;
    refundedCents += cents(p.refunded_amount);
    if (b.status !== "confirmed" && cents(p.amount) !== cents(p.refunded_amount)) {
      bad.push(`booking ${b.id} is ${b.status} but keeps ${money(cents(p.amount) - cents(p.refunded_amount))} charged`);
    }
  }
  const d = statsDelta(o);
  if (d.charged !== charged || d.chargedCents !== chargedCents) {
    bad.push(
      `payment-mock recorded ${d.charged} charges (${money(d.chargedCents)}), bookings account for ${charged} (${money(chargedCents)})`,
    );
  }
  if (d.refunds !== refunded || d.refundedCents !== refundedCents) {
    bad.push(
      `payment-mock recorded ${d.refunds} refunds (${money(d.refundedCents)}), bookings account for ${refunded} (${money(refundedCents)})`,
    );
  }
  const detail = `${charged} charges all belong to bookings; ${refunded} refunded in full where not confirmed`;
  return result("no payment without booking", bad.length === 0, bad.length ? first(bad) : detail);
}

export function idempotentRetries(keysSeen: Map<string, Set<number>>): InvariantResult {
  const bad: string[] = [];
  for (const [key, ids] of keysSeen) if (ids.size > 1) bad.push(`${key}: bookings ${[...ids].join(", ")}`);
  return result(
    "one booking per Idempotency-Key",
    bad.length === 0,
    bad.length ? first(bad) : `${keysSeen.size} keys sent more than once, each answered with one booking`,
  );
}
