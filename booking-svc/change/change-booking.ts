import type { FastifyBaseLogger } from "fastify";
import type { Flight } from "../../contracts/flight-svc/flights.js";
import { AppError } from "../../lib/errors.js";
import { MAX_AMOUNT } from "../../lib/money.js";
import { currentRequestId } from "../../lib/request-context.js";
import { UpstreamError, UpstreamRefusal, upstreamLogName, upstreamName } from "../../lib/upstream.js";
import type { FlightClient } from "../clients/flight-client.js";
import type { StoredResponse } from "../idempotency.js";
import { bookingNotFound } from "../ownership.js";
import { checkLegs, checkPayable } from "../saga/legs.js";
import type { BookingsRepo, BookingWithLegs } from "../store/bookings-repo.js";
import type { ChangeRow, ChangesRepo, NewChange, StartRefusal, StartResult } from "../store/changes-repo.js";
import { onceCheckedIn } from "../store/check-ins-repo.js";
import { changeAnswer } from "./change-views.js";
import type { ChangeExecutor } from "./executor.js";
import { splitLegs, withOwnSeats } from "./kept-legs.js";
import { changeCharge } from "./money.js";

/** POST /api/bookings/:id/change in the service's terms. */
export interface ChangeRequest {
  bookingId: number;
  flightIds: number[];
  date: string;
}

export interface ChangeOptions {
  /** CHANGE_FEE. */
  fee: number;
  /** How long the request owns its change before the sweeper may take over. */
  leaseSeconds: number;
  /** When a change whose upstream did not answer is tried again by the sweeper. */
  retrySeconds: number;
  /** MIN_CONNECTION_MINUTES: the new legs' connections are held to it, as a new booking's are. */
  minConnectionMinutes: number;
}

/** The change that already holds the request's Idempotency-Key (Redis had forgotten it). */
export class ChangeKeyTaken {
  constructor(readonly holder: ChangeRow) {}
}

const REFUSALS: Record<StartRefusal, () => AppError> = {
  not_found: () => new AppError("booking_not_found"),
  not_confirmed: () => new AppError("booking_not_changeable"),
  change_in_progress: () => new AppError("change_in_progress"),
  legs_moved: () => new AppError("change_in_progress", "The booking was changed meanwhile; look at it and try again."),
  checking_in: () =>
    new AppError("change_in_progress", "The booking is being checked in; change it once the check-in has ended."),
};

/** Checks a change against the booking and flight-svc, records it and runs its saga as far as it goes now. */
export class BookingChange {
  constructor(
    private readonly bookings: BookingsRepo,
    private readonly changes: ChangesRepo,
    private readonly flights: FlightClient,
    private readonly executor: ChangeExecutor,
    private readonly opts: ChangeOptions,
    private readonly log: FastifyBaseLogger,
    private readonly now: () => number = Date.now,
  ) {}

  async run(req: ChangeRequest, keyed: { key: string; hash: string } | null): Promise<StoredResponse | ChangeKeyTaken> {
    const b = await this.bookings.get(req.bookingId);
    if (!b) throw bookingNotFound(req.bookingId);
    if (keyed) {
      const held = await this.changes.getByKey(b.id, keyed.key);
      if (held) return new ChangeKeyTaken(held);
    }
    refuseUnchangeable(b);
    const from = b.legs.map((l) => l.flight_id);
    if (from.length === req.flightIds.length && from.every((id, i) => id === req.flightIds[i])) {
      throw new AppError("validation_error", "flight_ids are the booking's flights already.", { field: "flight_ids" });
    }
    const { legs, toAmount } = await this.checkFlights(b, req);
    refuseUnpayable(b.totalAmount, toAmount, this.opts.fee);
    const started = await this.start({
      bookingId: b.id,
      fromFlightIds: from,
      toLegs: legs,
      travelDate: req.date,
      toAmount,
      fee: this.opts.fee,
      idempotencyKey: keyed?.key ?? null,
      requestHash: keyed?.hash ?? null,
      requestId: currentRequestId() ?? null,
      leaseSeconds: this.opts.leaseSeconds,
    });
    if ("refused" in started) throw REFUSALS[started.refused]();
    if ("keyTaken" in started) return new ChangeKeyTaken(started.keyTaken);
    const result = await this.executor.run(started.row, "live");
    if (!result.lost && result.state.step !== "done")
      await this.changes.setLease(started.row.id, this.opts.retrySeconds);
    return changeAnswer((await this.changes.get(started.row.id)) as ChangeRow, await this.reread(b.id));
  }

  /**
   * Records the change once no check-in of the booking runs: one that started first seats the
   * passengers on the old legs and answers their passes, and the change then treats them as any
   * check-in before it (the dropped legs' seats go back with them).
   */
  private start(n: NewChange): Promise<StartResult> {
    return onceCheckedIn(
      this.opts.leaseSeconds,
      () => this.changes.start(n),
      (started) => "refused" in started && started.refused === "checking_in",
    );
  }

  /** The new legs as flight-svc has them now, and their fare; the old legs must not have departed. */
  private async checkFlights(b: BookingWithLegs, req: ChangeRequest) {
    let flights: (Flight | null)[];
    try {
      flights = await this.flights.getFlights([...b.legs.map((l) => l.flight_id), ...req.flightIds]);
    } catch (err) {
      if (err instanceof UpstreamRefusal) throw new AppError("validation_error", err.message, { field: "flight_ids" });
      if (!(err instanceof UpstreamError)) throw err;
      this.log.info({ reason: err.message }, `${upstreamLogName(err)} unavailable for a change`);
      throw new AppError("service_unavailable", `${upstreamName(err)} is unavailable; the booking was not changed.`);
    }
    const old = flights.slice(0, b.legs.length);
    const next = flights.slice(b.legs.length);
    const gone = old.find((f) => f && Date.parse(f.departure_time) <= this.now());
    if (gone) {
      throw new AppError(
        "flight_departed",
        `Flight ${gone.id} of the booking has departed; it can no longer be changed.`,
        { flight_id: gone.id },
      );
    }
    const leg = { flightIds: req.flightIds, field: "flight_ids" as const, seats: b.seats, date: req.date };
    const { kept } = splitLegs(
      b.legs.map((l) => l.flight_id),
      req.flightIds,
    );
    const takeable = withOwnSeats(next, kept, b.seats);
    const check = checkPayable(checkLegs(leg, takeable, this.opts.minConnectionMinutes), leg);
    if (!check.ok) {
      const f = check.failure;
      throw new AppError(f.error, f.message, f.field ? { field: f.field } : {});
    }
    const departed = next.find((f) => f && Date.parse(f.departure_time) <= this.now());
    if (departed) {
      const message = `Flight ${departed.id} has departed; choose a later flight.`;
      throw new AppError("flight_departed", message, { flight_id: departed.id, field: "flight_ids" });
    }
    return {
      legs: check.legs.map((l) => ({ flight_id: l.flightId, price: l.price })),
      toAmount: check.totalAmount,
    };
  }

  private async reread(id: number): Promise<BookingWithLegs> {
    return (await this.bookings.get(id)) as BookingWithLegs;
  }
}

/**
 * The new trip's fare fits a payment, but its difference plus the fee may not: payment-mock would
 * refuse the charge after the new seats were held.
 */
function refuseUnpayable(fromAmount: number, toAmount: number, fee: number): void {
  const { fareDifference, charge } = changeCharge(fromAmount, toAmount, fee);
  if (charge <= MAX_AMOUNT) return;
  const message =
    `The change would charge ${charge} (a fare difference of ${fareDifference} and a fee of ${fee}), ` +
    `above the largest payment of ${MAX_AMOUNT}; choose cheaper flights.`;
  throw new AppError("validation_error", message, { field: "flight_ids" });
}

function refuseUnchangeable(b: BookingWithLegs): void {
  if (b.status !== "confirmed") {
    throw new AppError("booking_not_changeable", `A ${b.status} booking cannot be changed; only a confirmed one can.`);
  }
  if (b.step !== "done") throw new AppError("booking_not_changeable", "The booking is being cancelled.");
  if (b.changing !== null) throw new AppError("change_in_progress");
}
