import { currentRequestId } from "../lib/request-context.js";
import type { StoredResponse } from "./idempotency.js";
import type { CreateBooking } from "./request.js";
import type { SagaExecutor } from "./saga/executor.js";
import type { ValidateStep } from "./saga/validate.js";
import type { BookingStats } from "./stats.js";
import type { BookingsRepo, BookingWithLegs } from "./store/bookings-repo.js";
import { bookingResponse, currentAnswer } from "./views.js";
import { KeyOnRow } from "./with-idempotency.js";

/** The Idempotency-Key a booking is made under, and the hash of its request. */
export interface KeyedRequest {
  key: string;
  hash: string;
}

/** POST /api/bookings' work: validate, record the booking, run its saga as far as it goes now. */
export class BookingCreation {
  constructor(
    private readonly repo: BookingsRepo,
    private readonly validate: ValidateStep,
    private readonly executor: SagaExecutor,
    private readonly stats: BookingStats,
    /** How long the request owns its booking before the sweeper may take over. */
    private readonly leaseSeconds: number,
  ) {}

  /** The booking's answer, or the row that already holds its Idempotency-Key. */
  async run(req: CreateBooking, keyed: KeyedRequest | null): Promise<StoredResponse | KeyOnRow> {
    const v = await this.validate.run(req);
    const booking = await this.repo.insert({
      userId: req.userId,
      seats: req.seats,
      travelDate: req.date,
      paymentType: req.paymentType,
      totalAmount: v.totalAmount,
      legs: v.legs,
      passengers: req.passengers,
      idempotencyKey: keyed?.key ?? null,
      requestHash: keyed?.hash ?? null,
      requestId: currentRequestId() ?? null,
      state: v.state,
      leaseSeconds: this.leaseSeconds,
    });
    if (!booking) return new KeyOnRow(keyed && (await this.repo.getByIdempotencyKey(req.userId, keyed.key)));
    const response =
      v.state.step === "done" ? bookingResponse(booking.id, booking.totalAmount, v.state) : await this.settle(booking);
    this.stats.outcomes.add(String(response.body.status));
    return response;
  }

  private async settle(booking: BookingWithLegs): Promise<StoredResponse> {
    const result = await this.executor.run(booking, "live");
    if (!result.lost) return bookingResponse(booking.id, booking.totalAmount, result.state);
    // The sweeper (or another instance) moved the row first: answer what it made of it.
    return currentAnswer((await this.repo.get(booking.id)) as BookingWithLegs);
  }
}
