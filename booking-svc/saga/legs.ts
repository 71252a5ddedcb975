import type { Flight } from "../../contracts/flight-svc/flights.js";
import { MAX_AMOUNT } from "../../lib/money.js";
import type { Failure } from "./machine.js";

export interface LegRequest {
  flightIds: number[];
  /** How the client named the flights, so that errors point at its own field. */
  field: "flight_id" | "flight_ids";
  seats: number;
  date: string;
}

export interface PricedLeg {
  flightId: number;
  price: number;
}

export type LegCheck =
  | { ok: true; legs: PricedLeg[]; totalAmount: number }
  | { ok: false; failure: Failure; totalAmount: number };

const utcDate = (iso: string): string => new Date(iso).toISOString().slice(0, 10);

/** Money is added up in cents: prices have two decimals and binary fractions would drift. */
export function totalAmount(prices: number[], seats: number): number {
  const cents = prices.reduce((sum, p) => sum + Math.round(p * 100), 0);
  return (cents * seats) / 100;
}

/**
 * Checks a booking's legs against what flight-svc says about them: every flight exists, the
 * first departs on `date` (UTC), each leg departs where the previous one arrives, at least
 * `minConnectionMinutes` after it lands (MIN_CONNECTION_MINUTES), none is cancelled, each has `seats` free now. Seats are only a first look: the hold
 * decides.
 */
export function checkLegs(req: LegRequest, flights: (Flight | null)[], minConnectionMinutes: number): LegCheck {
  const at = (i: number) => (req.field === "flight_id" ? "flight_id" : `flight_ids[${i}]`);
  const missing = flights.indexOf(null);
  if (missing >= 0) {
    return fail(0, "validation_error", `Flight ${req.flightIds[missing]} does not exist.`, at(missing));
  }
  const known = flights as Flight[];
  const amount = totalAmount(
    known.map((f) => f.price),
    req.seats,
  );
  const first = known[0] as Flight;
  if (utcDate(first.departure_time) !== req.date) {
    return fail(
      amount,
      "validation_error",
      `date ${req.date} is not the departure date of flight ${first.id} (${utcDate(first.departure_time)}, UTC).`,
      "date",
    );
  }
  for (let i = 1; i < known.length; i++) {
    const prev = known[i - 1] as Flight;
    const leg = known[i] as Flight;
    if (leg.source !== prev.destination) {
      return fail(
        amount,
        "validation_error",
        `Flight ${leg.id} departs from ${leg.source}, not from ${prev.destination} where flight ${prev.id} arrives.`,
        "flight_ids",
      );
    }
    const gapMinutes = (Date.parse(leg.departure_time) - Date.parse(prev.arrival_time)) / 60_000;
    if (gapMinutes <= 0) {
      return fail(amount, "validation_error", `Flight ${leg.id} departs before flight ${prev.id} lands.`, "flight_ids");
    }
    // Search offers no shorter connection, and the disruption handler would call it at risk at once.
    if (gapMinutes < minConnectionMinutes) {
      const gap = Math.floor(gapMinutes);
      return fail(
        amount,
        "validation_error",
        `Flight ${leg.id} departs ${gap} minute${gap === 1 ? "" : "s"} after flight ${prev.id} lands; a connection needs at least ${minConnectionMinutes}.`,
        "flight_ids",
      );
    }
  }
  const cancelled = known.find((f) => f.status === "cancelled");
  if (cancelled) return fail(amount, "flight_cancelled", `Flight ${cancelled.id} is cancelled.`);
  const full = known.find((f) => f.available_seats < req.seats);
  if (full) {
    return fail(
      amount,
      "not_enough_seats",
      `Flight ${full.id} has ${full.available_seats} seats left; ${req.seats} requested.`,
    );
  }
  return { ok: true, legs: known.map((f) => ({ flightId: f.id, price: f.price })), totalAmount: amount };
}

/**
 * The legs passed, but payment-mock would refuse their total (nothing to charge, or more than
 * its largest payment): the booking fails before any seat is held.
 */
export function checkPayable(check: LegCheck, req: LegRequest): LegCheck {
  if (!check.ok) return check;
  const amount = check.totalAmount;
  if (amount <= 0)
    return fail(amount, "validation_error", "The flights have no fare; they cannot be paid for.", req.field);
  if (amount > MAX_AMOUNT) {
    const message = `The total of ${amount} is above the largest payment of ${MAX_AMOUNT}; book fewer seats.`;
    return fail(amount, "validation_error", message, "seats");
  }
  return check;
}

function fail(totalAmount: number, error: Failure["error"], message: string, field?: string): LegCheck {
  return { ok: false, totalAmount, failure: field ? { error, message, field } : { error, message } };
}
