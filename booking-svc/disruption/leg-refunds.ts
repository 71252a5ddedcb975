import type { FastifyBaseLogger } from "fastify";
import { UpstreamError } from "../../lib/upstream.js";
import type { PaymentMethods } from "../clients/payment-method.js";
import { refundParts } from "../refund-parts.js";
import type { LegRefundOutcome, LegRefundRow, LegRefundsRepo } from "../store/leg-refunds-repo.js";

/** Test hooks, e.g. a crash between a leg's refund and its record. Never set in production. */
export interface LegRefundHooks {
  afterLegRefund?: (bookingId: number, flightId: number) => Promise<void> | void;
}

/**
 * Refunds a cancelled leg of a booking that outlived its flight's cancellation: the row is
 * written before any refund (LegRefundsRepo.start), each part is refunded under its own key (a
 * repeat is answered with the first refund, by payment-mock and by the miles ledger alike), and
 * the row is then recorded refunded. A retry of the event, another instance, or a try after a
 * crash between the two runs the same parts under the same keys: the leg is refunded once.
 */
export class LegRefunds {
  constructor(
    private readonly repo: LegRefundsRepo,
    private readonly payments: PaymentMethods,
    private readonly log: FastifyBaseLogger,
    private readonly hooks: LegRefundHooks = {},
  ) {}

  /**
   * True when the leg's refund is recorded (or none is owed); false to be tried again: an
   * upstream did not answer, or a change of the booking still runs.
   */
  async settle(bookingId: number, flightId: number): Promise<boolean> {
    const r = await this.repo.start(bookingId, flightId);
    if (r === "changing") return false;
    return r === null || r.refundedAt !== null || this.run(r);
  }

  /** Finishes the flight's refunds a try left unrecorded: false while any still lacks an answer. */
  async finishOn(flightId: number): Promise<boolean> {
    let done = true;
    for (const r of await this.repo.unfinishedOn(flightId)) if (!(await this.run(r))) done = false;
    return done;
  }

  /**
   * The sweeper's part: refunds a try left unrecorded for `olderThanSeconds` (its event lost with
   * Redis, or not retried yet), at most `limit` of them a round. A try still running meanwhile asks
   * for the same parts under the same keys, so neither refunds twice.
   */
  async finishStale(olderThanSeconds: number, limit: number): Promise<void> {
    for (const r of await this.repo.stale(olderThanSeconds, limit)) await this.run(r);
  }

  private async run(r: LegRefundRow): Promise<boolean> {
    let outcome: LegRefundOutcome;
    try {
      outcome = await this.refund(r);
    } catch (err) {
      if (!(err instanceof UpstreamError)) throw err;
      this.log.warn(
        { booking_id: r.bookingId, flight_id: r.flightId, reason: err.message },
        "leg refund without an answer",
      );
      return false;
    }
    await this.hooks.afterLegRefund?.(r.bookingId, r.flightId);
    if (await this.repo.finish(r, outcome)) {
      this.log.info(
        { booking_id: r.bookingId, flight_id: r.flightId, amount: r.amount, refund_ids: outcome.refundIds },
        "cancelled leg refunded",
      );
    }
    return true;
  }

  private refund(r: LegRefundRow): Promise<LegRefundOutcome> {
    return refundParts(this.payments.for(r.paymentType), r.refundPlan, r.refundKey, (part, reason) =>
      this.log.warn(
        { booking_id: r.bookingId, flight_id: r.flightId, payment_id: part.payment_id, reason },
        "leg refund refused",
      ),
    );
  }
}
