import { Tally } from "../lib/tally.js";

/** What booking-svc counts about its sagas; /metrics reads it (booking-svc/metrics.ts). */
export class BookingStats {
  /** Answers to POST /api/bookings by the booking's status then. */
  readonly outcomes = new Tally<string>(["confirmed", "failed", "pending"]);
  /** Compensating actions performed: seats released, payments refunded. */
  readonly compensations = new Tally(["release", "refund"]);
  /** Unfinished bookings the sweeper took over, by what became of them. */
  readonly recoveries = new Tally<string>(["confirmed", "failed", "cancelled", "retry"]);
  /** Idempotency-Key outcomes other than a first request. */
  readonly idempotency = new Tally(["replay", "mismatch", "in_progress"]);
}
