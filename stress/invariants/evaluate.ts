import type { InvariantResult, PhaseResult } from "../report/types.js";
import type { PaymentRecord, PaymentStats, ReconcileReport } from "../services.js";
import type { FlightRow, ScopeBooking } from "./reads.js";

// The invariants as pure functions of what the checker read: exact comparisons, no tolerance.
// Money is compared in cents; seats per flight; payments per booking and as run-wide deltas.

/** A flight a scenario created, with the seats it booked up front (without a booking). */
export interface ScenarioFlight {
  id: number;
  prefilled: number;
}

export interface Observations {
  phases: PhaseResult[];
  /** Bookings still unfinished when the bounded wait ended, and how long it waited. */
  unfinished: number[];
  waitedSeconds: number;
  bookings: ScopeBooking[];
  scenarioFlights: ScenarioFlight[];
  /** PostgreSQL rows of the scenario's flights and of every flight with a Redis counter. */
  flightRows: FlightRow[];
  counters: Map<number, number>;
  oversold: FlightRow[];
  reconcile: ReconcileReport | { error: string };
  statsBefore: PaymentStats;
  statsAfter: PaymentStats;
  /** The payment recorded under each booking's key (booking-<id>), null if none. */
  payments: Map<number, PaymentRecord | null>;
  /** Idempotency-Key → the booking ids its answers named (only when the scenario retried). */
  idempotency?: Map<string, Set<number>>;
}

export const cents = (x: number): number => Math.round(x * 100);
const money = (c: number): string =>
  (c / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const result = (name: string, ok: boolean, detail: string): InvariantResult => ({ name, ok, detail });
const first = (items: string[], n = 5): string =>
  items.slice(0, n).join("; ") + (items.length > n ? `; … ${items.length - n} more` : "");

export function no5xx(phases: PhaseResult[]): InvariantResult {
  let total = 0;
  const bad: string[] = [];
  for (const p of phases) {
    for (const [code, n] of Object.entries(p.statusCodes)) {
      total += n;
      if (Number(code) >= 500) bad.push(`${n} × ${code} in ${p.name}`);
    }
  }
  return result("no 5xx responses", bad.length === 0, bad.length ? first(bad) : `0 of ${total} responses`);
}

export function nothingPending(o: Observations): InvariantResult {
  const waited = `${o.waitedSeconds.toFixed(1)} s`;
  return o.unfinished.length === 0
    ? result("nothing left pending", true, `${o.bookings.length} bookings settled, waited ${waited}`)
    : result(
        "nothing left pending",
        false,
        `${o.unfinished.length} unfinished after ${waited}: ids ${first(o.unfinished.map(String), 10)}`,
      );
}

/** Seats each flight has in confirmed bookings of the scope. */
export function confirmedSeats(bookings: ScopeBooking[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const b of bookings) {
    if (b.status !== "confirmed") continue;
    for (const f of b.legs) m.set(f, (m.get(f) ?? 0) + b.seats);
  }
  return m;
}

export function noOversell(o: Observations): InvariantResult {
  const rows = new Map(o.flightRows.map((r) => [r.id, r]));
  const seats = confirmedSeats(o.bookings);
  const bad = o.oversold.map((r) => `flight ${r.id}: ${r.booked_seats} booked of ${r.total_seats}`);
  let sold = 0;
  let total = 0;
  for (const f of o.scenarioFlights) {
    const r = rows.get(f.id);
    if (!r) {
      bad.push(`flight ${f.id}: missing`);
      continue;
    }
    const booked = f.prefilled + (seats.get(f.id) ?? 0);
    sold += booked;
    total += r.total_seats;
    if (booked > r.total_seats) bad.push(`flight ${f.id}: bookings hold ${booked} seats of ${r.total_seats}`);
  }
  const detail = o.scenarioFlights.length
    ? `${o.scenarioFlights.length} scenario flights: ${sold} of ${total} seats sold; no flight over its total`
    : "no flight over its total";
  return result("no flight oversold", bad.length === 0, bad.length ? first(bad) : detail);
}

export function bookedMatchesBookings(o: Observations): InvariantResult {
  const rows = new Map(o.flightRows.map((r) => [r.id, r]));
  const seats = confirmedSeats(o.bookings);
  const bad: string[] = [];
  for (const f of o.scenarioFlights) {
    const expected = f.prefilled + (seats.get(f.id) ?? 0);
    const booked = rows.get(f.id)?.booked_seats;
    if (booked !== expected) bad.push(`flight ${f.id}: booked_seats ${booked}, confirmed bookings ${expected}`);
  }
  const detail = `${o.scenarioFlights.length} flights: booked_seats = seats of confirmed bookings (+ prefill)`;
  return result("booked seats = confirmed bookings", bad.length === 0, bad.length ? first(bad) : detail);
}

export function countersMatch(o: Observations): InvariantResult {
  const rows = new Map(o.flightRows.map((r) => [r.id, r]));
  const bad: string[] = [];
  for (const [id, available] of o.counters) {
    const r = rows.get(id);
    if (!r) bad.push(`flight ${id}: a counter (${available}) but no flight`);
    else if (available !== r.total_seats - r.booked_seats) {
      bad.push(`flight ${id}: redis ${available}, total − confirmed ${r.total_seats - r.booked_seats}`);
    }
  }
  const detail = `${o.counters.size} flights with a counter, all equal`;
  return result("available = total − confirmed", bad.length === 0, bad.length ? first(bad) : detail);
}

export function reconcileClean(o: Observations): InvariantResult {
  const r = o.reconcile;
  if ("error" in r) return result("reconcile reports no drift", false, r.error);
  const bad = r.drift.map((d) => `flight ${d.flight_id}: redis ${d.redis}, expected ${d.expected}`);
  return result(
    "reconcile reports no drift",
    bad.length === 0,
    bad.length ? first(bad) : `${r.flights_checked} flights checked, no drift (not repaired)`,
  );
}

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
  const confirmed = o.bookings.filter((b) => b.status === "confirmed");
  const confirmedCents = confirmed.reduce((a, b) => a + cents(b.total_amount), 0);
  const countOk = confirmed.length === d.charged - d.refunds;
  const amountOk = confirmedCents === d.chargedCents - d.refundedCents;
  const detail =
    `${confirmed.length} confirmed ${countOk ? "=" : "≠"} ${d.charged} charged − ${d.refunds} refunded; ` +
    `${money(confirmedCents)} ${amountOk ? "=" : "≠"} ${money(d.chargedCents)} − ${money(d.refundedCents)}`;
  return result("confirmed = payments − refunds", countOk && amountOk, detail);
}

export function noBookingWithoutPayment(o: Observations): InvariantResult {
  const bad: string[] = [];
  let n = 0;
  for (const b of o.bookings) {
    if (b.status !== "confirmed") continue;
    n++;
    const p = o.payments.get(b.id);
    if (!p) bad.push(`booking ${b.id}: no payment`);
    else if (p.status !== "success") bad.push(`booking ${b.id}: payment ${p.payment_id} is ${p.status}`);
    else if (p.booking_id !== b.id) bad.push(`booking ${b.id}: payment ${p.payment_id} is for booking ${p.booking_id}`);
    else if (cents(p.amount) !== cents(b.total_amount)) {
      bad.push(`booking ${b.id}: charged ${p.amount}, booking costs ${b.total_amount}`);
    } else if (cents(p.refunded_amount) !== 0) bad.push(`booking ${b.id}: confirmed but refunded ${p.refunded_amount}`);
    else if (b.payment_id !== null && b.payment_id !== p.payment_id) {
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
    if (cents(p.refunded_amount) > 0) {
      refunded++;
      refundedCents += cents(p.refunded_amount);
    }
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

export function evaluate(o: Observations): InvariantResult[] {
  const out = [
    no5xx(o.phases),
    nothingPending(o),
    noOversell(o),
    bookedMatchesBookings(o),
    countersMatch(o),
    reconcileClean(o),
    paymentsBalance(o),
    noBookingWithoutPayment(o),
    noPaymentWithoutBooking(o),
  ];
  if (o.idempotency) out.push(idempotentRetries(o.idempotency));
  return out;
}
