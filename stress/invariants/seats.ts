import type { InvariantResult, PhaseResult } from "../report/types.js";
import { first, type Observations, result } from "./observations.js";
import type { FlightRow, ScopeBooking } from "./reads.js";

// Seats: nothing oversold, PostgreSQL agrees with the bookings, Redis agrees with PostgreSQL.
// Also the two checks that are about the run rather than seats: no 5xx, nothing pending.

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
    ? result(
        "nothing left pending",
        true,
        o.bookings.length ? `${o.bookings.length} bookings settled, waited ${waited}` : `no bookings, waited ${waited}`,
      )
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

/** A flight whose Redis counter is not total − confirmed − held; `expected` null: no such flight. */
export interface CounterDrift {
  id: number;
  redis: number;
  expected: number | null;
  held: number;
}

/** Every flight whose counter is off, in the order of `counters`. */
export function counterDrift(
  counters: Map<number, number>,
  rows: FlightRow[],
  held: Map<number, number>,
): CounterDrift[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const drift: CounterDrift[] = [];
  for (const [id, redis] of counters) {
    const r = byId.get(id);
    const h = held.get(id) ?? 0;
    const expected = r ? r.total_seats - r.booked_seats - h : null;
    if (redis !== expected) drift.push({ id, redis, expected, held: h });
  }
  return drift;
}

export const describeDrift = (d: CounterDrift): string =>
  d.expected === null
    ? `flight ${d.id}: a counter (${d.redis}) but no flight`
    : `flight ${d.id}: redis ${d.redis}, total − confirmed − held ${d.expected}${d.held ? ` (${d.held} held)` : ""}`;

/**
 * Redis' counter against PostgreSQL, counting live holds: available = total − confirmed − held.
 * When holds explain a gap between the counter and total − confirmed, the detail says so.
 */
export function countersMatch(o: Observations): InvariantResult {
  const bad = counterDrift(o.counters, o.flightRows, o.held);
  const off = new Set(bad.map((d) => d.id));
  let explained = 0;
  let heldSeats = 0;
  for (const [id, held] of o.held) {
    if (held > 0 && o.counters.has(id) && !off.has(id)) {
      explained++;
      heldSeats += held;
    }
  }
  const holds = explained
    ? `; live holds explain the gap to total − confirmed on ${explained} flights (${heldSeats} seats held)`
    : "; no live holds";
  const detail = `${o.counters.size} flights with a counter, all equal${holds}`;
  return result(
    "available = total − confirmed − held",
    bad.length === 0,
    bad.length ? first(bad.map(describeDrift)) : detail,
  );
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
