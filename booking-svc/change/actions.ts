import type { FastifyBaseLogger } from "fastify";
import { UpstreamError, upstreamFailure } from "../../lib/upstream.js";
import type { FlightClient } from "../clients/flight-client.js";
import type { PaymentRecord } from "../clients/payment-client.js";
import type { PaymentMethods } from "../clients/payment-method.js";
import { refundParts } from "../refund-parts.js";
import type { Failure } from "../saga/machine.js";
import type { ChangeRow } from "../store/changes-repo.js";
import { splitLegs } from "./kept-legs.js";
import type { ChangeAction, ChangeEvent, ChangeState } from "./machine.js";

const SEATS_GONE = "The new flights' seats were released before the change completed; the booking was not changed.";
const FLIGHT_CANCELLED = "A new flight was cancelled before the change completed; the booking was not changed.";
const NOT_CHARGED: Failure = {
  error: "payment_not_completed",
  message: "The payment for the change did not complete; nothing was charged and the booking was not changed.",
};

/**
 * Performs one change-saga action against flight-svc or payment-mock under the change's derived
 * ids (hold bk-<booking>-<nonce>-c<n>, payment key booking-<booking>-<nonce>-change-<n>, refund keys
 * after it; a booking from before the nonces has none),
 * so that any retry, by the request or the sweeper, repeats rather than doubles it.
 */
export class ChangeActions {
  constructor(
    private readonly flights: FlightClient,
    private readonly payments: PaymentMethods,
    private readonly holdTtlSeconds: number,
    private readonly log: FastifyBaseLogger,
  ) {}

  async perform(action: Exclude<ChangeAction, "swap">, c: ChangeRow, state: ChangeState): Promise<ChangeEvent> {
    try {
      return await this.run(action, c, state);
    } catch (err) {
      if (!(err instanceof UpstreamError)) throw err;
      this.log.warn(
        { booking_id: c.bookingId, change_id: c.id, action, reason: err.message },
        "change action without an answer",
      );
      return { type: "unavailable", reason: err.message, what: upstreamFailure(err) };
    }
  }

  private async run(action: Exclude<ChangeAction, "swap">, c: ChangeRow, state: ChangeState): Promise<ChangeEvent> {
    switch (action) {
      case "hold_new": {
        const { added } = legsOf(c);
        if (added.length === 0) return { type: "held" };
        const r = await this.flights.hold(c.holdId, added, c.seats, this.holdTtlSeconds);
        return r.held ? { type: "held" } : { type: "hold_refused", failure: r.failure };
      }
      case "charge":
        return this.charge(c);
      case "lookup_charge":
        // Recovery runs after the change's deadline: a charge not recorded now was never made.
        if (c.chargeAmount === 0) return { type: "paid", paymentId: null };
        return (
          fromRecord(await this.payments.for(c.paymentType).lookup(c.paymentKey)) ?? {
            type: "not_charged",
            failure: NOT_CHARGED,
          }
        );
      case "confirm_new": {
        const departed = await this.departedLeg(c);
        if (departed !== null) {
          const message = `Flight ${departed} departed before the change completed; the booking was not changed.`;
          return { type: "seats_gone", failure: { error: "flight_departed", message } };
        }
        if (legsOf(c).added.length === 0) return { type: "seats_confirmed" };
        const r = await this.flights.confirm(c.holdId);
        if (r === "confirmed") return { type: "seats_confirmed" };
        const message = r === "flight_cancelled" ? FLIGHT_CANCELLED : SEATS_GONE;
        return {
          type: "seats_gone",
          failure: { error: r === "flight_cancelled" ? "flight_cancelled" : "hold_expired", message },
        };
      }
      case "release_old": {
        // The kept legs become the new hold's first, so that the release gives back only the dropped ones.
        const { kept } = legsOf(c);
        if (kept.length > 0) await this.flights.handOver(c.fromHoldId, c.holdId, kept);
        const r = await this.flights.release(c.fromHoldId);
        if (!r.found) {
          // The old seats stay booked: better a change that waits than seats given back twice.
          this.log.error(
            { booking_id: c.bookingId, hold_id: c.fromHoldId },
            "flight-svc does not know the booking's hold",
          );
          return { type: "unavailable", reason: "hold not found" };
        }
        return { type: "released" };
      }
      case "refund":
        return this.refund(c);
      case "refund_charge": {
        if (!state.paymentId) return { type: "refunded", refundIds: [] };
        const r = await this.payments.for(c.paymentType).refund(state.paymentId);
        if (r.kind === "refunded") return { type: "refunded", refundIds: [r.refundId] };
        if (r.kind === "nothing") return { type: "refunded", refundIds: [] };
        this.log.warn({ booking_id: c.bookingId, change_id: c.id, reason: r.reason }, "change charge refund refused");
        return { type: "refunded", refundIds: [], unrefunded: { amount: c.chargeAmount, reason: r.reason } };
      }
      case "release_new":
        if (legsOf(c).added.length > 0) await this.flights.release(c.holdId);
        return { type: "released" };
    }
  }

  /**
   * A leg the change moves from or to that has departed since its request was checked: a change
   * the sweeper finishes late (its request died, an upstream did not answer) must not move a
   * booking off a flight its passengers may have flown, nor onto one that has left. Asked before
   * the confirm, the point of no return, so that the change is undone instead.
   */
  private async departedLeg(c: ChangeRow): Promise<number | null> {
    const ids = [...new Set([...c.fromFlightIds, ...c.toLegs.map((l) => l.flight_id)])];
    const flights = await this.flights.getFlights(ids);
    return flights.find((f) => f && Date.parse(f.departure_time) <= Date.now())?.id ?? null;
  }

  /** Each part of the plan from its payment; the parts the provider refused are summed up with why. */
  private async refund(c: ChangeRow): Promise<ChangeEvent> {
    const method = this.payments.for(c.paymentType);
    const { refundIds, unrefunded } = await refundParts(
      method,
      c.refundPlan,
      `${c.paymentKey}-refund`,
      (part, reason) =>
        this.log.warn(
          { booking_id: c.bookingId, change_id: c.id, payment_id: part.payment_id, reason },
          "change refund refused",
        ),
    );
    return { type: "refunded", refundIds, unrefunded };
  }

  private async charge(c: ChangeRow): Promise<ChangeEvent> {
    if (c.chargeAmount === 0) return { type: "paid", paymentId: null };
    const method = this.payments.for(c.paymentType);
    const r = await method.process({
      bookingId: c.bookingId,
      userId: c.userId,
      amount: c.chargeAmount,
      paymentType: c.paymentType,
      key: c.paymentKey,
    });
    switch (r.kind) {
      case "success":
        return { type: "paid", paymentId: r.paymentId };
      case "declined":
        return { type: "not_charged", failure: { error: "payment_declined", message: declined(r.message) } };
      case "refused":
        return { type: "not_charged", failure: { error: "validation_error", message: r.message, field: r.field } };
      case "insufficient":
        return { type: "not_charged", failure: { error: "insufficient_miles", message: r.message } };
      case "timeout_answered":
        return fromRecord(await method.lookup(c.paymentKey)) ?? { type: "not_charged", failure: NOT_CHARGED };
      case "unknown":
        // It may still be charging: only a recorded payment settles it now.
        return fromRecord(await method.lookup(c.paymentKey)) ?? { type: "unavailable", reason: r.reason };
    }
  }
}

/** The change's legs: only the added ones are held under its hold; the kept ones are handed over. */
const legsOf = (c: ChangeRow) =>
  splitLegs(
    c.fromFlightIds,
    c.toLegs.map((l) => l.flight_id),
  );

const declined = (message: string) => `${message.replace(/\.$/, "")}; the booking was not changed.`;

function fromRecord(rec: PaymentRecord | null): ChangeEvent | null {
  if (!rec) return null;
  if (rec.status === "success") return { type: "paid", paymentId: rec.paymentId };
  if (rec.status === "failed") {
    return {
      type: "not_charged",
      failure: { error: "payment_declined", message: declined("The payment was declined.") },
    };
  }
  return { type: "not_charged", failure: NOT_CHARGED };
}
