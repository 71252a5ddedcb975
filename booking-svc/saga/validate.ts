import type { FastifyBaseLogger } from "fastify";
import { AppError } from "../../lib/errors.js";
import type { FlightClient } from "../clients/flight-client.js";
import { UpstreamError, UpstreamRefusal } from "../clients/http.js";
import type { Leg } from "../store/bookings-repo.js";
import { checkLegs, checkPayable, type LegCheck, type LegRequest, totalAmount } from "./legs.js";
import { initialState, type SagaState } from "./machine.js";

/** What the validate step decided about a booking request, before its row exists. */
export interface Validated {
  /** Where the saga starts: at "hold", or already done and failed when a check refused the booking. */
  state: SagaState;
  totalAmount: number;
  /** The requested legs with flight-svc's prices (0 for a flight it does not know). */
  legs: Leg[];
}

/**
 * The saga's first step, asking flight-svc about the requested legs. A refused booking is still a
 * booking (stored as failed, with the field at fault); flight-svc unreachable or refusing the
 * request itself books nothing and is an error.
 */
export class ValidateStep {
  constructor(
    private readonly flights: FlightClient,
    private readonly log: FastifyBaseLogger,
  ) {}

  async run(req: LegRequest): Promise<Validated> {
    const { check: legs, prices } = await this.examine(req);
    const check = checkPayable(legs, req);
    const state: SagaState = check.ok
      ? initialState()
      : { ...initialState(), step: "done", status: "failed", failure: check.failure };
    return {
      state,
      totalAmount: check.totalAmount,
      legs: req.flightIds.map((id, i) => ({ flight_id: id, price: prices[i] ?? 0 })),
    };
  }

  /**
   * A single flight that flight-svc validates is all most bookings need; multi-leg bookings (the
   * chain needs airports and times) and refused flights (to say why, with the field) are looked
   * at in detail.
   */
  private async examine(req: LegRequest): Promise<{ check: LegCheck; prices: number[] }> {
    try {
      if (req.flightIds.length === 1) {
        const [id] = req.flightIds as [number];
        const v = await this.flights.validate(id, req.seats, req.date);
        if (v.valid) {
          return {
            check: {
              ok: true,
              legs: [{ flightId: id, price: v.price }],
              totalAmount: totalAmount([v.price], req.seats),
            },
            prices: [v.price],
          };
        }
      }
      const flights = await this.flights.getFlights(req.flightIds);
      return { check: checkLegs(req, flights), prices: flights.map((f) => f?.price ?? 0) };
    } catch (err) {
      if (err instanceof UpstreamRefusal) {
        throw new AppError("validation_error", err.message, { field: err.field ?? req.field });
      }
      if (!(err instanceof UpstreamError)) throw err;
      // One line per refused request: info, like every other 503 (an outage floods warn otherwise).
      this.log.info({ reason: err.message }, "flight-svc unavailable for validation");
      throw new AppError("service_unavailable", "The flight service is unavailable; nothing was booked.");
    }
  }
}
