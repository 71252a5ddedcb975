import type { PaymentStats } from "../../contracts/payment-mock/admin.js";
import type { PaymentRecord } from "../../contracts/payment-mock/payments.js";
import type { InvariantResult, PhaseResult } from "../report/types.js";
import type { ReconcileReport } from "../services.js";
import type { FlightRow, ScopeBooking } from "./reads.js";

// What the checker read, and the small helpers every invariant uses. The invariants are pure
// functions of it: exact comparisons, no tolerance; money in cents.

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
  /** Seats of live holds per flight (only flights with any). */
  held: Map<number, number>;
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
export const money = (c: number): string =>
  (c / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
export const result = (name: string, ok: boolean, detail: string): InvariantResult => ({ name, ok, detail });
export const first = (items: string[], n = 5): string =>
  items.slice(0, n).join("; ") + (items.length > n ? `; … ${items.length - n} more` : "");
