import type { FastifyBaseLogger } from "fastify";
import { UpstreamError, upstreamFailure } from "../../lib/upstream.js";
import type { FlightClient } from "../clients/flight-client.js";
import type { PaymentRecord } from "../clients/payment-client.js";
import type { PaymentMethods } from "../clients/payment-method.js";
import type { Action, Failure, SagaEvent, SagaState } from "./machine.js";

/** What the actions need to know about a booking; all of it is in its row. */
export interface SagaBooking {
  id: number;
  userId: number;
  amount: number;
  paymentType: string;
  holdId: string;
  /** The nonce in its own hold id; null for a row from before migration 019. */
  holdNonce: string | null;
  paymentKey: string;
  /** null for a row read without its legs: only a new booking's temporary copy needs them. */
  flightIds: number[] | null;
  seats: number;
}

const NOT_CHARGED = "The payment did not complete; nothing was charged.";
const NOT_COMPLETED = "The booking could not be completed in time; nothing was charged and its seats were released.";
const REFUNDED = "; the payment was refunded.";
const FLIGHT_CANCELLED = `The flight was cancelled before the booking was confirmed${REFUNDED}`;
const SEATS_GONE = `The seats were released before the payment completed${REFUNDED}`;

/** Performs one saga action against flight-svc, payment-mock or the miles ledger and says what happened. */
export class SagaActions {
  constructor(
    private readonly flights: FlightClient,
    private readonly payments: PaymentMethods,
    private readonly log: FastifyBaseLogger,
    /** The payments a booking's completed changes charged: a cancellation refunds them too. */
    private readonly changeCharges: (bookingId: number) => Promise<string[]> = async () => [],
  ) {}

  async perform(action: Exclude<Action, "hold">, b: SagaBooking, state: SagaState): Promise<SagaEvent> {
    try {
      return await this.run(action, b, state);
    } catch (err) {
      if (!(err instanceof UpstreamError)) throw err;
      this.log.warn({ booking_id: b.id, action, reason: err.message }, "saga action without an answer");
      return { type: "unavailable", reason: err.message, what: upstreamFailure(err) };
    }
  }

  private async run(action: Exclude<Action, "hold">, b: SagaBooking, state: SagaState): Promise<SagaEvent> {
    switch (action) {
      case "pay":
        return this.pay(b);
      case "lookup_payment":
        // Recovery runs after the booking's deadline, when no call of its request is still
        // on its way: a payment that is not recorded now was never made.
        return fromRecord(await this.payments.for(b.paymentType).lookup(b.paymentKey)) ?? notCharged(NOT_COMPLETED);
      case "confirm": {
        const r = await this.flights.confirm(b.holdId);
        if (r === "confirmed") return { type: "seats_confirmed" };
        if (r === "flight_cancelled") {
          return { type: "seats_gone", failure: { error: "flight_cancelled", message: FLIGHT_CANCELLED } };
        }
        return { type: "seats_gone", failure: { error: "hold_expired", message: SEATS_GONE } };
      }
      case "release":
        await this.flights.release(b.holdId);
        return { type: "released" };
      case "cancel_seats": {
        const r = await this.flights.release(b.holdId);
        if (!r.found) {
          // The seats stay booked: better a cancellation that waits than seats given back twice.
          this.log.error({ booking_id: b.id, hold_id: b.holdId }, "flight-svc does not know the booking's hold");
          return { type: "unavailable", reason: "hold not found" };
        }
        return { type: "released" };
      }
      case "refund":
        return this.refund(b, state);
    }
  }

  /**
   * Each refund gives back what is left of its payment, so a repeat refunds nothing twice. One
   * the provider refuses for good is not retried: the booking settles saying it was not made.
   */
  private async refund(b: SagaBooking, state: SagaState): Promise<SagaEvent> {
    const method = this.payments.for(b.paymentType);
    const refused: string[] = [];
    if (state.status === "confirmed") {
      for (const id of await this.changeCharges(b.id)) {
        const r = await method.refund(id);
        if (r.kind === "refused") refused.push(r.reason);
      }
    }
    let refundId: string | null = null;
    if (state.paymentId) {
      const r = await method.refund(state.paymentId);
      if (r.kind === "refunded") refundId = r.refundId;
      if (r.kind === "refused") refused.push(r.reason);
    }
    if (refused.length === 0) return { type: "refunded", refundId };
    const reason = refused.join("; ");
    this.log.warn({ booking_id: b.id, reason }, "booking refund refused");
    // A booking that failed after its payment says in its failure what became of the money.
    const failure = state.failure ? notRefunded(state.failure, reason) : undefined;
    return { type: "refunded", refundId, refused: reason, ...(failure ? { failure } : {}) };
  }

  private async pay(b: SagaBooking): Promise<SagaEvent> {
    const method = this.payments.for(b.paymentType);
    const r = await method.process({
      bookingId: b.id,
      userId: b.userId,
      amount: b.amount,
      paymentType: b.paymentType,
      key: b.paymentKey,
    });
    switch (r.kind) {
      case "success":
        return { type: "paid", paymentId: r.paymentId };
      case "declined":
        return { type: "declined", paymentId: r.paymentId, failure: { error: "payment_declined", message: r.message } };
      case "insufficient":
        return { type: "not_charged", failure: { error: "insufficient_miles", message: r.message } };
      case "refused":
        return { type: "not_charged", failure: { error: "validation_error", message: r.message, field: r.field } };
      case "timeout_answered":
        // payment-mock has finished with the call: what it recorded is the outcome.
        return fromRecord(await method.lookup(b.paymentKey)) ?? notCharged();
      case "unknown":
        // It may still be charging: only a recorded payment settles it now; otherwise the
        // booking stays pending and the sweeper looks again after the deadline.
        return fromRecord(await method.lookup(b.paymentKey)) ?? { type: "unavailable", reason: r.reason };
    }
  }
}

function fromRecord(rec: PaymentRecord | null): SagaEvent | null {
  if (!rec) return null;
  if (rec.status === "success") return { type: "paid", paymentId: rec.paymentId };
  if (rec.status === "failed") {
    return {
      type: "declined",
      paymentId: rec.paymentId,
      failure: { error: "payment_declined", message: "The payment was declined." },
    };
  }
  return notCharged();
}

function notRefunded(f: Failure, reason: string): Failure {
  const what = f.message.endsWith(REFUNDED) ? f.message.slice(0, -REFUNDED.length) : f.message.replace(/\.$/, "");
  return { ...f, message: `${what}; the payment was not refunded: ${reason}.` };
}

function notCharged(message = NOT_CHARGED): SagaEvent {
  return { type: "not_charged", failure: { error: "payment_not_completed", message } };
}
