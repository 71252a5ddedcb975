import type { PaymentRecord } from "../../contracts/payment-mock/payments.js";
import type { InvariantResult } from "../report/types.js";
import type { MilesStatement } from "../services.js";
import { first, result } from "./observations.js";
import type { ScopeBooking } from "./reads.js";

// Loyalty miles (DESIGN.md invariant 7): every account's balance is the sum of its entries and
// never negative; the miles earned are exactly distance × seats over the legs flown; each
// booking is paid once, in money or in miles.

/** A scope booking's leg as bookings_db has it after the flown job. */
export interface LegRow {
  booking_id: number;
  flight_id: number;
  flown: boolean;
  /** The booking was confirmed before this leg departed (otherwise nobody flew it). */
  boarded: boolean;
}

export interface MilesObservations {
  bookings: ScopeBooking[];
  legs: LegRow[];
  /** Per customer (user id), their whole statement. */
  statements: Map<number, MilesStatement>;
  /** Great-circle statute miles per scenario flight. */
  distances: Map<number, number>;
  payments: Map<number, PaymentRecord | null>;
}

export function ledgerTruth(o: MilesObservations): InvariantResult {
  const bad: string[] = [];
  for (const [user, s] of o.statements) {
    const sum = s.entries.reduce((a, e) => a + e.miles, 0);
    if (sum !== s.balance) bad.push(`user ${user}: balance ${s.balance} ≠ ${sum}, the sum of its entries`);
    if (s.balance < 0) bad.push(`user ${user}: balance ${s.balance} below zero`);
  }
  const detail = `${o.statements.size} accounts, each balance = the sum of its entries ≥ 0`;
  return result("miles balance = sum of entries ≥ 0", bad.length === 0, bad.length ? first(bad) : detail);
}

export function earnedFromFlownLegs(o: MilesObservations): InvariantResult {
  const bad: string[] = [];
  const byId = new Map(o.bookings.map((b) => [b.id, b]));
  const expected = new Map<number, number>();
  let flown = 0;
  for (const leg of o.legs) {
    const b = byId.get(leg.booking_id);
    if (!b) continue;
    const shouldFly = b.status === "confirmed" && leg.boarded;
    if (leg.flown !== shouldFly) {
      bad.push(`booking ${b.id} (${b.status}) flight ${leg.flight_id}: ${leg.flown ? "flown" : "not flown"}`);
    }
    if (!leg.flown) continue;
    flown++;
    const distance = o.distances.get(leg.flight_id) ?? 0;
    expected.set(b.id, (expected.get(b.id) ?? 0) + Math.round(distance * b.seats));
  }
  const earned = new Map<number, number>();
  for (const s of o.statements.values()) {
    for (const e of s.entries) {
      if (e.kind !== "earn" || e.booking_id === undefined || !byId.has(e.booking_id)) continue;
      earned.set(e.booking_id, (earned.get(e.booking_id) ?? 0) + e.miles);
    }
  }
  for (const id of new Set([...expected.keys(), ...earned.keys()])) {
    if ((expected.get(id) ?? 0) !== (earned.get(id) ?? 0)) {
      bad.push(`booking ${id}: earned ${earned.get(id) ?? 0}, flown distance × seats is ${expected.get(id) ?? 0}`);
    }
  }
  const total = [...earned.values()].reduce((a, m) => a + m, 0);
  const detail = `${flown} legs flown, ${total} miles earned = Σ distance × seats`;
  return result("miles earned = Σ distance × seats of flown legs", bad.length === 0, bad.length ? first(bad) : detail);
}

export function paidOnce(o: MilesObservations): InvariantResult {
  const bad: string[] = [];
  const redeems = new Map<number, number[]>();
  const refunds = new Map<number, number[]>();
  for (const s of o.statements.values()) {
    for (const e of s.entries) {
      if (e.booking_id === undefined) continue;
      const into = e.kind === "redeem" ? redeems : e.kind === "refund" ? refunds : null;
      into?.set(e.booking_id, [...(into.get(e.booking_id) ?? []), e.miles]);
    }
  }
  let inMiles = 0;
  for (const b of o.bookings) {
    const taken = redeems.get(b.id) ?? [];
    const given = refunds.get(b.id) ?? [];
    const money = o.payments.get(b.id);
    const charged = money?.status === "success";
    if (taken.length > 1) bad.push(`booking ${b.id}: ${taken.length} miles debits`);
    if (given.length > taken.length)
      bad.push(`booking ${b.id}: ${given.length} miles refunds for ${taken.length} debits`);
    if (b.payment_type !== "miles") {
      if (taken.length > 0) bad.push(`booking ${b.id} (${b.payment_type}) took miles`);
      continue;
    }
    inMiles++;
    if (charged) bad.push(`booking ${b.id} paid in miles was charged money too`);
    // A cancelled leg's refund (a connection outliving its flight) gives part of the debit back
    // and keeps the rest: only the others give a debit back whole.
    const kept = taken.length - (given.length - b.leg_refunds);
    if (b.status === "confirmed" && kept !== 1) bad.push(`booking ${b.id} confirmed with ${kept} debits kept`);
    if (b.status !== "confirmed" && kept !== 0) bad.push(`booking ${b.id} ${b.status} keeps ${kept} debits`);
    const back = given.reduce((a, m) => a + m, 0);
    if (b.status !== "confirmed" && taken[0] !== undefined && given.length > 0 && taken[0] + back !== 0) {
      bad.push(`booking ${b.id}: debited ${-taken[0]}, refunded ${back}`);
    }
  }
  const detail = `${inMiles} bookings in miles: each debited at most once, refunded unless confirmed, never charged money`;
  return result("each booking paid once (money or miles)", bad.length === 0, bad.length ? first(bad) : detail);
}

export function milesInvariants(o: MilesObservations): InvariantResult[] {
  return [ledgerTruth(o), earnedFromFlownLegs(o), paidOnce(o)];
}
