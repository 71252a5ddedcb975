import type {
  LegSeats,
  LegSeatsRequest,
  SeatAssignment,
  SeatAssignmentRefusal,
  SeatAssignments,
} from "../../contracts/flight-svc/seats.js";
import { AppError } from "../../lib/errors.js";
import type { Upstream } from "../../lib/upstream.js";

/**
 * flight-svc's check-in seats (contracts/flight-svc/seats.ts). Both calls are idempotent (a
 * passenger keeps the seat asked for or held), so connection failures are retried; a refusal
 * flight-svc documents becomes the same catalogue error here.
 */
export class SeatClient {
  constructor(private readonly up: Upstream) {}

  /** Seats on every leg asked for, or on none (a refusal names the leg's flight). */
  async assign(body: LegSeatsRequest): Promise<LegSeats["legs"]> {
    const path = "/api/seat-assignments";
    const reply = await this.up.call<LegSeats | SeatAssignmentRefusal>("POST", path, { body, retries: 2 });
    if (reply.status === 200) return (reply.body as LegSeats).legs;
    const b = reply.body as SeatAssignmentRefusal;
    const flight = b.flight_id === undefined ? {} : { flight_id: b.flight_id };
    if (reply.status === 409 && (b.error === "seat_taken" || b.error === "not_enough_seats")) {
      throw new AppError(b.error, b.message, { ...flight, ...(b.seat ? { seat: b.seat } : {}) });
    }
    if (reply.status === 409 && b.error === "not_checked_in") {
      throw new AppError("conflict", "The booking's seats on this flight are not confirmed.", flight);
    }
    throw this.up.refusal(reply) ?? this.up.unexpected("POST", path, reply);
  }

  async ofBooking(flightId: number, bookingId: number, holdNonce: string | null): Promise<SeatAssignment[]> {
    const nonce = holdNonce === null ? "" : `&hold_nonce=${holdNonce}`;
    const path = `/api/flights/${flightId}/seat-assignments?booking_id=${bookingId}${nonce}`;
    const reply = await this.up.call<SeatAssignments>("GET", path, { retries: 2 });
    if (reply.status === 200) return reply.body.assignments;
    // A flight deleted from under a booking has no seats for it.
    if (reply.status === 404) return [];
    throw this.up.refusal(reply) ?? this.up.unexpected("GET", path, reply);
  }
}
