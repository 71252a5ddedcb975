import type { FastifyBaseLogger } from "fastify";
import { AppError } from "../lib/errors.js";
import { UpstreamError, upstreamLogName, upstreamName } from "../lib/upstream.js";
import type { FlightClient } from "./clients/flight-client.js";
import type { StoredResponse } from "./idempotency.js";
import type { SagaExecutor } from "./saga/executor.js";
import type { BookingsRepo, BookingWithLegs } from "./store/bookings-repo.js";
import { onceCheckedIn } from "./store/check-ins-repo.js";
import { currentAnswer } from "./views.js";

const FLOWN = "The booking has been flown; it can no longer be cancelled.";

export interface CancellationOptions {
  /** How long a cancellation owns its booking before the sweeper may take over. */
  leaseSeconds: number;
  /** When a stalled cancellation may be retried (by the sweeper or the client). */
  retrySeconds: number;
}

/**
 * PUT /api/bookings/:id/cancel's work: a confirmed booking's seats go back and its payment is
 * refunded, through the saga's cancel steps. A repeated cancel answers the same and releases nothing.
 */
export class BookingCancellation {
  constructor(
    private readonly repo: BookingsRepo,
    private readonly executor: SagaExecutor,
    private readonly flights: Pick<FlightClient, "getFlight">,
    private readonly opts: CancellationOptions,
    private readonly log: FastifyBaseLogger,
    private readonly now: () => number = Date.now,
  ) {}

  async run(id: number): Promise<StoredResponse> {
    const b = await this.repo.get(id);
    if (!b) throw new AppError("booking_not_found", `Booking ${id} was not found.`, { booking_id: id });
    if (b.status === "cancelled") return currentAnswer(b);
    if (b.status === "failed") throw new AppError("conflict", "A failed booking cannot be cancelled.");
    if (b.status === "pending") throw new AppError("conflict", "The booking is still being processed.");
    if (b.flownAt) throw new AppError("conflict", FLOWN);
    await this.refuseDeparted(b);
    // A check-in already running seats the passengers and answers their passes first; the
    // cancellation then gives those seats back as any checked-in booking's.
    const claimed = await onceCheckedIn(
      this.opts.leaseSeconds,
      () => this.repo.claimCancel(id, this.opts.leaseSeconds),
      (claim) => claim === "checking_in",
    );
    if (claimed === "checking_in") {
      throw new AppError("conflict", "The booking is being checked in; cancel it once the check-in has ended.");
    }
    if (!claimed) {
      const now = await this.reread(id);
      if (now.status === "cancelled") return currentAnswer(now);
      if (now.flownAt) throw new AppError("conflict", FLOWN);
      if (now.changing !== null)
        throw new AppError("change_in_progress", "The booking is being changed; cancel it after.");
      throw new AppError("request_in_progress", "A cancellation of this booking is in progress.");
    }
    const result = await this.executor.run(claimed, "live");
    if (!result.lost && result.state.step !== "done") await this.repo.setLease(id, this.opts.retrySeconds);
    return currentAnswer(await this.reread(id));
  }

  /**
   * A booking confirmed before its first flight left may have been flown: it is no longer
   * cancelled (nor refunded). One confirmed after the flight had left (its saga still running at
   * the departure, or a 2024 sample flight booked now) could never be flown, as the flown job
   * decides too, and stays cancellable. The flight's time is flight-svc's: a PATCH may have moved it.
   */
  private async refuseDeparted(b: BookingWithLegs): Promise<void> {
    const first = b.legs[0]?.flight_id;
    const confirmed = b.confirmedAt?.getTime();
    if (first === undefined || confirmed === undefined) return;
    const now = this.now();
    let departure: number;
    try {
      const flight = await this.flights.getFlight(first);
      if (!flight) return;
      departure = Date.parse(flight.departure_time);
    } catch (err) {
      if (!(err instanceof UpstreamError)) throw err;
      // Without flight-svc the travel date decides when it can: a flight whose day is still
      // ahead has not left, and one confirmed after its day ended had left before the confirmation.
      const day = Date.parse(`${b.travelDate}T00:00:00Z`);
      if (day > now || confirmed >= day + 86_400_000) return;
      this.log.info({ reason: err.message }, `${upstreamLogName(err)} unavailable for a cancellation`);
      throw new AppError("service_unavailable", `${upstreamName(err)} is unavailable; the booking was not cancelled.`);
    }
    if (departure <= now && departure > confirmed) {
      throw new AppError(
        "flight_departed",
        `Flight ${first} of the booking has departed; it can no longer be cancelled.`,
        {
          flight_id: first,
        },
      );
    }
  }

  // Bookings are never deleted: a row read once is there again.
  private async reread(id: number): Promise<BookingWithLegs> {
    return (await this.repo.get(id)) as BookingWithLegs;
  }
}
