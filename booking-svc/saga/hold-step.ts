import type { FastifyBaseLogger } from "fastify";
import type { Flight } from "../../contracts/flight-svc/flights.js";
import { AppError } from "../../lib/errors.js";
import { UpstreamError, UpstreamRefusal, upstreamFailure, upstreamLogName, upstreamName } from "../../lib/upstream.js";
import type { FlightClient, HoldResult } from "../clients/flight-client.js";
import { bookingHoldId, newHoldNonce } from "../hold-ids.js";
import type { BookingIds } from "../store/booking-ids.js";
import type { Leg } from "../store/bookings-repo.js";
import type { SagaHooks } from "./executor.js";
import { checkLegs, checkPayable, type LegRequest, totalAmount } from "./legs.js";
import { type Failure, initialState, next, type SagaEvent, type SagaState } from "./machine.js";

/** Where a new booking's row starts: decided before the row exists. */
export interface HoldPlaced {
  /** The id reserved for the row. */
  id: number;
  /** The row's hold_nonce: its hold (if one was placed) is bk-<id>-<nonce>. */
  holdNonce: string;
  /** "pay" once held; "release" when the hold must be undone first; done and failed when refused. */
  state: SagaState;
  totalAmount: number;
  /** The requested legs with their prices (0 where flight-svc gave none). */
  legs: Leg[];
}

/**
 * The saga's first step, taken before the booking's row is written: the hold itself checks the
 * legs (they exist, are not cancelled, the first departs on the date, seats are free) and prices
 * them, so a single-leg booking costs flight-svc one call. A multi-leg booking's chain (airports,
 * times) is checked on the flights' details first. A refused booking is still a booking (its row
 * stored as failed, with the field at fault).
 *
 * Crash safety: booking-svc dying after the hold and before the row's INSERT leaves only a hold
 * under an id no row will ever have: it expires after HOLD_TTL_SECONDS, and nothing was charged
 * (the payment comes after the INSERT). Every later point is covered by the row, as before.
 */
export class HoldStep {
  constructor(
    private readonly flights: FlightClient,
    private readonly ids: BookingIds,
    private readonly holdTtlSeconds: number,
    private readonly minConnectionMinutes: number,
    private readonly log: FastifyBaseLogger,
    private readonly hooks: SagaHooks = {},
  ) {}

  async run(req: LegRequest): Promise<HoldPlaced> {
    const id = await this.ids.next();
    const nonce = newHoldNonce();
    let prices = req.flightIds.map(() => 0);
    if (req.flightIds.length > 1) {
      const flights = await this.lookup(req);
      prices = flights.map((f) => f?.price ?? 0);
      const check = checkLegs(req, flights, this.minConnectionMinutes);
      if (!check.ok) return this.placed(id, nonce, refused(check.failure), check.totalAmount, req, prices);
    }
    await this.hooks.beforeAction?.("hold", id);
    const hold = await this.holdOrUnknown(id, nonce, req);
    if (hold instanceof UpstreamError) {
      const unknown: SagaEvent = {
        type: "unavailable",
        reason: "no answer to the hold",
        what: upstreamFailure(hold),
      };
      return this.placed(id, nonce, next(initialState(), unknown).state, totalAmount(prices, req.seats), req, prices);
    }
    if (!hold.held) {
      const fares = hold.prices ?? prices;
      return this.placed(id, nonce, refused(hold.failure), totalAmount(fares, req.seats), req, fares);
    }
    await this.hooks.afterHold?.(id, bookingHoldId(id, nonce));
    const priced = { ok: true as const, legs: [], totalAmount: totalAmount(hold.prices, req.seats) };
    const payable = checkPayable(priced, req);
    // Unpayable (no fare, or above payment-mock's largest payment): the seats just held go back first.
    const state = payable.ok ? next(initialState(), { type: "held" }).state : undo(payable.failure);
    return this.placed(id, nonce, state, payable.totalAmount, req, hold.prices);
  }

  private async lookup(req: LegRequest): Promise<(Flight | null)[]> {
    try {
      return await this.flights.getFlights(req.flightIds);
    } catch (err) {
      throw this.unavailable(err, req);
    }
  }

  /** A hold without a usable answer may have been placed: its error, and its row releases it. */
  private async holdOrUnknown(id: number, nonce: string, req: LegRequest): Promise<HoldResult | UpstreamError> {
    try {
      return await this.flights.hold(bookingHoldId(id, nonce), req.flightIds, req.seats, this.holdTtlSeconds, {
        date: req.date,
        field: req.field,
      });
    } catch (err) {
      if (!(err instanceof UpstreamError) || err.unsent) {
        throw this.unavailable(err, req);
      }
      this.log.warn({ booking_id: id, reason: err.message }, "hold without an answer");
      return err;
    }
  }

  private placed(
    id: number,
    holdNonce: string,
    state: SagaState,
    amount: number,
    req: LegRequest,
    prices: number[],
  ): HoldPlaced {
    return {
      id,
      holdNonce,
      state,
      totalAmount: amount,
      legs: req.flightIds.map((flight_id, i) => ({ flight_id, price: prices[i] ?? 0 })),
    };
  }

  /**
   * flight-svc not reached (it refused the connection, its breaker is open, or user-svc handed out
   * no service token for the call: the call was never sent) books nothing and is a 503 naming the
   * service at fault; a 400 on the request itself is the client's 400.
   */
  private unavailable(err: unknown, req: LegRequest): unknown {
    if (err instanceof UpstreamRefusal) {
      return new AppError("validation_error", err.message, { field: err.field ?? req.field });
    }
    if (!(err instanceof UpstreamError)) return err;
    // One line per refused request: info, like every other 503 (an outage floods warn otherwise).
    this.log.info({ reason: err.message }, `${upstreamLogName(err)} unavailable for the booking`);
    return new AppError("service_unavailable", `${upstreamName(err)} is unavailable; nothing was booked.`);
  }
}

function refused(failure: Failure): SagaState {
  return next(initialState(), { type: "hold_refused", failure }).state;
}

function undo(failure: Failure): SagaState {
  return { ...initialState(), step: "release", failure };
}
