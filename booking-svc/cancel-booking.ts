import { AppError } from "../lib/errors.js";
import type { StoredResponse } from "./idempotency.js";
import type { SagaExecutor } from "./saga/executor.js";
import type { BookingsRepo, BookingWithLegs } from "./store/bookings-repo.js";
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
    private readonly opts: CancellationOptions,
  ) {}

  async run(id: number): Promise<StoredResponse> {
    const b = await this.repo.get(id);
    if (!b) throw new AppError("booking_not_found", `Booking ${id} was not found.`, { booking_id: id });
    if (b.status === "cancelled") return currentAnswer(b);
    if (b.status === "failed") throw new AppError("conflict", "A failed booking cannot be cancelled.");
    if (b.status === "pending") throw new AppError("conflict", "The booking is still being processed.");
    if (b.flownAt) throw new AppError("conflict", FLOWN);
    const claimed = await this.repo.claimCancel(id, this.opts.leaseSeconds);
    if (!claimed) {
      const now = await this.reread(id);
      if (now.status === "cancelled") return currentAnswer(now);
      if (now.flownAt) throw new AppError("conflict", FLOWN);
      throw new AppError("request_in_progress", "A cancellation of this booking is in progress.");
    }
    const result = await this.executor.run(claimed, "live");
    if (!result.lost && result.state.step !== "done") await this.repo.setLease(id, this.opts.retrySeconds);
    return currentAnswer(await this.reread(id));
  }

  // Bookings are never deleted: a row read once is there again.
  private async reread(id: number): Promise<BookingWithLegs> {
    return (await this.repo.get(id)) as BookingWithLegs;
  }
}
