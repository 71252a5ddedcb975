import { currentRequestId } from "../lib/request-context.js";
import type { FlightClient } from "./clients/flight-client.js";
import { bookingHoldId } from "./hold-ids.js";
import type { StoredResponse } from "./idempotency.js";
import type { CreateBooking } from "./request.js";
import type { SagaExecutor } from "./saga/executor.js";
import type { HoldPlaced, HoldStep } from "./saga/hold-step.js";
import type { BookingStats } from "./stats.js";
import type { BookingsRepo, BookingWithLegs, NewBooking } from "./store/bookings-repo.js";
import type { NewBookings } from "./store/new-bookings.js";
import { bookingResponse, requestAnswer } from "./views.js";
import { KeyOnRow } from "./with-idempotency.js";

/** The Idempotency-Key a booking is made under, and the hash of its request. */
export interface KeyedRequest {
  key: string;
  hash: string;
}

/** POST /api/bookings' work: hold (which validates and prices), record the booking, run its saga as far as it goes now. */
export class BookingCreation {
  constructor(
    private readonly repo: BookingsRepo,
    private readonly hold: HoldStep,
    private readonly rows: NewBookings,
    private readonly flights: FlightClient,
    private readonly executor: SagaExecutor,
    private readonly stats: BookingStats,
    /** How long the request owns its booking before the sweeper may take over. */
    private readonly leaseSeconds: number,
  ) {}

  /** The booking's answer, or the row that already holds its Idempotency-Key. */
  async run(req: CreateBooking, keyed: KeyedRequest | null): Promise<StoredResponse | KeyOnRow> {
    const h = await this.hold.run(req);
    const row: NewBooking = {
      id: h.id,
      holdNonce: h.holdNonce,
      userId: req.userId,
      seats: req.seats,
      travelDate: req.date,
      paymentType: req.paymentType,
      totalAmount: h.totalAmount,
      legs: h.legs,
      passengers: req.passengers,
      idempotencyKey: keyed?.key ?? null,
      requestHash: keyed?.hash ?? null,
      requestId: currentRequestId() ?? null,
      state: h.state,
      leaseSeconds: this.leaseSeconds,
    };
    const holder = async () => new KeyOnRow(keyed && (await this.repo.getByIdempotencyKey(req.userId, keyed.key)));
    const booking = await this.rows.add(row).catch(async (err: unknown) => {
      // The row could not be written (PostgreSQL went away): the request answers that nothing
      // was booked, so its seats go back now rather than when the hold expires, minutes after
      // the retry it asks for. Nothing is charged before the row exists, so even a row that did
      // commit unseen can only end failed, its payment looked up and not found.
      await this.giveBack(h);
      throw err;
    });
    if (!booking) {
      await this.giveBack(h);
      return holder();
    }
    // Refused by its hold: the row was all that was left to write.
    if (h.state.step === "done") return this.answered(bookingResponse(booking.id, booking.totalAmount, h.state));
    return this.answered(await this.settle(booking));
  }

  private answered(response: StoredResponse): StoredResponse {
    this.stats.outcomes.add(String(response.body.status));
    return response;
  }

  /**
   * A hold that belongs to no booking (another request's row holds the Idempotency-Key, Redis
   * had forgotten it; or the row could not be written) goes back now. Should that fail, it
   * expires like any orphan hold.
   */
  private async giveBack(h: HoldPlaced): Promise<void> {
    if (h.state.step === "done") return;
    await this.flights.release(bookingHoldId(h.id, h.holdNonce)).catch(() => {});
  }

  private async settle(booking: BookingWithLegs): Promise<StoredResponse> {
    const result = await this.executor.run(booking, "live");
    if (!result.lost) return bookingResponse(booking.id, booking.totalAmount, result.state);
    // The sweeper (or another instance) moved the row first: answer what it made of it (as a
    // retry with the request's Idempotency-Key would, whatever happened to the booking since).
    return requestAnswer((await this.repo.get(booking.id)) as BookingWithLegs);
  }
}
