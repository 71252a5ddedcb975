import type { FastifyBaseLogger } from "fastify";
import { AppError } from "../lib/errors.js";
import { currentRequestId } from "../lib/request-context.js";
import type { FlightClient } from "./clients/flight-client.js";
import { UpstreamError, UpstreamRefusal } from "./clients/http.js";
import { IdempotencyStore, requestHash, type StoredResponse } from "./idempotency.js";
import type { SagaExecutor } from "./saga/executor.js";
import { checkLegs, checkPayable, type LegCheck, totalAmount } from "./saga/legs.js";
import { initialState, type SagaState } from "./saga/machine.js";
import type { Passenger } from "./schemas.js";
import type { BookingStats } from "./stats.js";
import { type Booking, type BookingsRepo, stateOf } from "./store/bookings-repo.js";
import { bookingResponse } from "./views.js";
import { WorkTracker } from "./work-tracker.js";

export interface CreateBooking {
  userId: number;
  flightIds: number[];
  field: "flight_id" | "flight_ids";
  seats: number;
  date: string;
  paymentType: string;
  passengers: Passenger[];
}

export interface Answer {
  response: StoredResponse;
  replayed: boolean;
}

export interface ServiceOptions {
  /** How long a request owns its booking before the sweeper may take over. */
  deadlineSeconds: number;
  /** When a stalled cancellation may be retried (by the sweeper or the client). */
  retrySeconds: number;
}

/** POST /api/bookings: idempotency around the saga; the saga runs in the executor. */
export class BookingService {
  /** create and cancel calls still running (shutdown drains them). */
  readonly work = new WorkTracker();

  constructor(
    private readonly repo: BookingsRepo,
    private readonly flights: FlightClient,
    private readonly executor: SagaExecutor,
    private readonly idem: IdempotencyStore,
    private readonly opts: ServiceOptions,
    private readonly stats: BookingStats,
    private readonly log: FastifyBaseLogger,
  ) {}

  create(req: CreateBooking, idemKey: string | undefined): Promise<Answer> {
    return this.work.track(this.createOnce(req, idemKey));
  }

  /** PUT /api/bookings/:id/cancel. A repeated cancel answers the same and releases nothing. */
  cancel(id: number): Promise<StoredResponse> {
    return this.work.track(this.cancelOnce(id));
  }

  private async createOnce(req: CreateBooking, idemKey: string | undefined): Promise<Answer> {
    // Without a key nothing can collide: book() answers null only for a key already taken.
    if (!idemKey) return { response: (await this.book(req, null, null))!, replayed: false };
    const scope = IdempotencyStore.scope(req.userId, idemKey);
    const hash = requestHash({ ...req, field: undefined });
    const claim = await this.idem.claim(scope, hash);
    if (claim.kind !== "claimed") this.stats.idempotency.add(claim.kind);
    if (claim.kind === "mismatch") throw new AppError("idempotency_key_reused");
    if (claim.kind === "in_progress") throw new AppError("request_in_progress");
    if (claim.kind === "replay") return { response: await this.refresh(scope, hash, claim.response), replayed: true };

    let response: StoredResponse | null;
    try {
      response = await this.book(req, idemKey, hash);
    } catch (err) {
      await this.idem.abandon(scope).catch(() => {});
      throw err;
    }
    if (!response) return this.fromRow(scope, hash, req.userId, idemKey);
    await this.idem.finish(scope, hash, response);
    return { response, replayed: false };
  }

  /** A stored 202 may have settled since: replay what the booking is now. */
  private async refresh(scope: string, hash: string, stored: StoredResponse): Promise<StoredResponse> {
    const id = Number(stored.body.booking_id);
    if (stored.code !== 202 || !Number.isInteger(id)) return stored;
    const b = await this.repo.get(id);
    if (!b) return stored;
    const now = bookingResponse(b.id, b.totalAmount, stateOf(b));
    if (now.code !== 202) await this.idem.finish(scope, hash, now);
    return now;
  }

  /**
   * The durable fallback: the key is already on a booking row although Redis did not know it
   * (flushed, or the running claim of a crashed request ran out).
   */
  private async fromRow(scope: string, hash: string, userId: number, key: string): Promise<Answer> {
    const b = await this.repo.getByIdempotencyKey(userId, key);
    if (!b) {
      this.stats.idempotency.add("in_progress");
      throw new AppError("request_in_progress");
    }
    if (b.requestHash !== hash) {
      this.stats.idempotency.add("mismatch");
      await this.idem.abandon(scope);
      throw new AppError("idempotency_key_reused");
    }
    if (b.status === "pending" && b.leaseUntil.getTime() > Date.now()) {
      this.stats.idempotency.add("in_progress");
      await this.idem.abandon(scope);
      throw new AppError("request_in_progress");
    }
    this.stats.idempotency.add("replay");
    const response = bookingResponse(b.id, b.totalAmount, stateOf(b));
    await this.idem.finish(scope, hash, response);
    return { response, replayed: true };
  }

  /**
   * The validate step. A single flight that flight-svc validates is all most bookings need;
   * multi-leg bookings (the chain needs airports and times) and refused flights (to say why,
   * with the field) are looked at in detail.
   */
  private async examine(req: CreateBooking): Promise<{ check: LegCheck; prices: number[] }> {
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

  /** Validates, records and runs a booking; null if a booking already holds its Idempotency-Key. */
  private async book(req: CreateBooking, key: string | null, hash: string | null): Promise<StoredResponse | null> {
    const { check: legs, prices } = await this.examine(req);
    const check = checkPayable(legs, req);
    const state: SagaState = check.ok
      ? initialState()
      : { ...initialState(), step: "done", status: "failed", failure: check.failure };
    const booking = await this.repo.insert({
      userId: req.userId,
      seats: req.seats,
      travelDate: req.date,
      paymentType: req.paymentType,
      totalAmount: check.totalAmount,
      legs: req.flightIds.map((id, i) => ({ flight_id: id, price: prices[i] ?? 0 })),
      passengers: req.passengers,
      idempotencyKey: key,
      requestHash: hash,
      requestId: currentRequestId() ?? null,
      state,
      leaseSeconds: this.opts.deadlineSeconds,
    });
    if (!booking) return null;
    const response = check.ok ? await this.settle(booking) : bookingResponse(booking.id, booking.totalAmount, state);
    this.stats.outcomes.add(String(response.body.status));
    return response;
  }

  private async settle(booking: Booking): Promise<StoredResponse> {
    const result = await this.executor.run(booking, "live");
    if (!result.lost) return bookingResponse(booking.id, booking.totalAmount, result.state);
    const now = (await this.repo.get(booking.id)) as Booking;
    return bookingResponse(now.id, now.totalAmount, stateOf(now));
  }

  private async cancelOnce(id: number): Promise<StoredResponse> {
    const b = await this.repo.get(id);
    if (!b) throw new AppError("booking_not_found", `Booking ${id} was not found.`, { booking_id: id });
    if (b.status === "cancelled") return bookingResponse(b.id, b.totalAmount, stateOf(b));
    if (b.status === "failed") throw new AppError("conflict", "A failed booking cannot be cancelled.");
    if (b.status === "pending") throw new AppError("conflict", "The booking is still being processed.");
    const claimed = await this.repo.claimCancel(id, this.opts.deadlineSeconds);
    if (!claimed) {
      const now = (await this.repo.get(id)) as Booking;
      if (now.status === "cancelled") return bookingResponse(now.id, now.totalAmount, stateOf(now));
      throw new AppError("request_in_progress", "A cancellation of this booking is in progress.");
    }
    const result = await this.executor.run(claimed, "live");
    if (!result.lost && result.state.step !== "done") await this.repo.setLease(id, this.opts.retrySeconds);
    const now = (await this.repo.get(id)) as Booking;
    return bookingResponse(now.id, now.totalAmount, stateOf(now));
  }
}
