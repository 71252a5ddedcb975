import type { PaymentRecord } from "../../contracts/payment-mock/payments.js";
import type { Sql } from "../../lib/postgres-plugin.js";
import type { InvariantResult } from "../report/types.js";
import { cents, first, money, type Observations, result } from "./observations.js";
import type { BookingScope } from "./reads.js";

// Money and all-or-nothing for scenarios that change bookings' flights: a booking then has more
// than one payment (its first charge, its changes' charges) and partial refunds, so the
// one-charge-per-booking checks give way to these.

export interface ScopeChange {
  id: number;
  booking_id: number;
  status: "pending" | "completed" | "failed";
  fee: number;
  charge_amount: number;
  payment_key: string;
  to_flight_ids: number[];
}

export interface ChangeObservations {
  changes: ScopeChange[];
  /** The payment under each failed change's key, null if none. */
  failedCharges: Map<number, PaymentRecord | null>;
}

export function scopeChanges(sql: Sql, s: BookingScope): Promise<ScopeChange[]> {
  return sql<ScopeChange[]>`
    SELECT c.id::int AS id, c.booking_id::int AS booking_id, c.status, c.fee, c.charge_amount, c.payment_key,
      ARRAY(SELECT (x->>'flight_id')::int FROM jsonb_array_elements(c.to_legs) x) AS to_flight_ids
    FROM booking_changes c JOIN bookings b ON b.id = c.booking_id
    WHERE b.id > ${s.afterBookingId} AND b.user_id >= ${s.userIdFrom} AND b.user_id < ${s.userIdTo}
    ORDER BY c.booking_id, c.change_no`;
}

/** Every change completed (the booking is on its legs) or failed (any charge refunded in full); none pending. */
export function changesAllOrNothing(o: Observations, c: ChangeObservations): InvariantResult {
  const bad: string[] = [];
  const last = new Map<number, ScopeChange>();
  for (const ch of c.changes) {
    if (ch.status === "pending") bad.push(`change ${ch.id} of booking ${ch.booking_id} is unfinished`);
    if (ch.status === "completed") last.set(ch.booking_id, ch);
    if (ch.status === "failed") {
      const p = c.failedCharges.get(ch.id);
      if (p?.status === "success" && cents(p.refunded_amount) !== cents(p.amount)) {
        bad.push(`failed change ${ch.id}: charged ${p.amount}, refunded ${p.refunded_amount}`);
      }
    }
  }
  for (const b of o.bookings) {
    const ch = last.get(b.id);
    if (ch && b.status === "confirmed" && b.legs.join() !== ch.to_flight_ids.join()) {
      bad.push(`booking ${b.id} is on ${b.legs.join("+")}, its last change moved it to ${ch.to_flight_ids.join("+")}`);
    }
  }
  const counts = ["completed", "failed"].map((s) => `${c.changes.filter((x) => x.status === s).length} ${s}`);
  return result("every change complete or not at all", bad.length === 0, bad.length ? first(bad) : counts.join(", "));
}

/**
 * Confirmed bookings' fares (less their cancelled legs' refunded) and their completed changes'
 * fees = charged − refunded during the scenario.
 */
export function changedMoneyBalance(o: Observations, c: ChangeObservations): InvariantResult {
  const confirmed = new Set(o.bookings.filter((b) => b.status === "confirmed").map((b) => b.id));
  let held = o.bookings
    .filter((b) => confirmed.has(b.id))
    .reduce((a, b) => a + cents(b.total_amount) - cents(b.leg_refunded), 0);
  for (const ch of c.changes) if (ch.status === "completed" && confirmed.has(ch.booking_id)) held += cents(ch.fee);
  const charged = cents(o.statsAfter.success.amount) - cents(o.statsBefore.success.amount);
  const refunded = cents(o.statsAfter.refunds.amount) - cents(o.statsBefore.refunds.amount);
  const ok = held === charged - refunded;
  const detail = `${money(held)} held (fares + change fees) ${ok ? "=" : "≠"} ${money(charged)} charged − ${money(refunded)} refunded`;
  return result("money = payments − refunds", ok, detail);
}
