import type { TransactionSql } from "postgres";
import { fromCents } from "../../lib/money.js";
import type { Sql } from "../../lib/postgres-plugin.js";
import {
  type CompletedChange,
  cents,
  type PaidPayment,
  paymentsOf,
  planRefund,
  type RefundPart,
} from "../change/money.js";

/** A cancelled leg's refund of a booking that outlived the cancellation (migration 020). */
export interface LegRefundRow {
  bookingId: number;
  flightId: number;
  paymentType: string;
  amount: number;
  refundPlan: RefundPart[];
  /** The parts are asked for under <refund_key>-<n>: a repeat is answered, not refunded again. */
  refundKey: string;
  refundedAt: Date | null;
}

/** What the parts' refunds did: their ids, and what the provider refused for good, with why. */
export interface LegRefundOutcome {
  refundIds: string[];
  unrefunded: { amount: number; reason: string } | null;
}

type Row = Record<string, unknown>;

const NOT_COVERED = "the booking's payments have less left than the leg's fare";

const num = (v: unknown): number => Number(v);

function toLegRefund(r: Row): LegRefundRow {
  return {
    bookingId: num(r.booking_id),
    flightId: num(r.flight_id),
    paymentType: String(r.payment_type),
    amount: num(r.amount),
    refundPlan: (r.refund_plan as RefundPart[]).map((p) => ({ payment_id: p.payment_id, amount: num(p.amount) })),
    refundKey: String(r.refund_key),
    refundedAt: (r.refunded_at as Date | null) ?? null,
  };
}

export class LegRefundsRepo {
  constructor(private readonly sql: Sql) {}

  /**
   * The leg's refund, written now if it was not: under the booking's row lock, so that two
   * instances write one plan, and from the booking's payments as they stand (its first charge,
   * its completed changes' charges and refunds, the legs refunded before). Null when nothing is
   * owed: the booking is no longer confirmed or being cancelled (that refunds all that is left),
   * or the leg is not its own, was flown, or is its only one (the flight its travellers flew).
   * "changing" while a change of the booking runs: its plan was made from the payments before
   * this refund, so the refund waits for it to end.
   */
  async start(bookingId: number, flightId: number): Promise<LegRefundRow | null | "changing"> {
    return this.sql.begin(async (tx) => {
      const [b] = await tx<Row[]>`
        SELECT b.status, b.step, b.changing, b.payment_id, b.payment_key, b.payment_type, b.total_amount, b.seats,
          (SELECT l.price FROM booking_legs l
           WHERE l.booking_id = b.id AND l.flight_id = ${flightId} AND l.flown_at IS NULL
             AND EXISTS (SELECT 1 FROM booking_legs o WHERE o.booking_id = b.id AND o.flight_id <> l.flight_id)) AS price
        FROM bookings b WHERE b.id = ${bookingId} FOR UPDATE`;
      if (!b) return null;
      const [held] = await tx<Row[]>`SELECT r.*, ${String(b.payment_type)} AS payment_type
        FROM booking_leg_refunds r WHERE r.booking_id = ${bookingId} AND r.flight_id = ${flightId}`;
      if (held) return toLegRefund(held);
      if (b.status !== "confirmed" || b.step !== "done" || b.payment_id === null || b.price === null) return null;
      if (b.changing !== null) return "changing";
      const owed = cents(num(b.price)) * num(b.seats);
      const { refundPlan, uncoveredCents } = planRefund(owed, await this.paymentsLeft(tx, bookingId, b));
      const uncovered = uncoveredCents > 0 ? fromCents(uncoveredCents) : 0;
      const [made] = await tx<Row[]>`
        INSERT INTO booking_leg_refunds (booking_id, flight_id, amount, refund_plan, refund_key,
          unrefunded_amount, unrefunded_reason)
        VALUES (${bookingId}, ${flightId}, ${fromCents(owed)}, ${tx.json(refundPlan as never)},
          ${`${String(b.payment_key)}-leg-${flightId}`}, ${uncovered}, ${uncovered > 0 ? NOT_COVERED : null})
        RETURNING *, ${String(b.payment_type)} AS payment_type`;
      return toLegRefund(made as Row);
    });
  }

  /** Records the refund made, once: false when another try recorded it first. */
  async finish(r: LegRefundRow, outcome: LegRefundOutcome): Promise<boolean> {
    const refused = outcome.unrefunded;
    const rows = await this.sql`
      UPDATE booking_leg_refunds SET refunded_at = now(), refund_ids = ${outcome.refundIds},
        unrefunded_amount = unrefunded_amount + ${refused?.amount ?? 0},
        unrefunded_reason = CASE WHEN ${refused?.reason ?? null}::text IS NULL THEN unrefunded_reason
          ELSE concat_ws('; ', unrefunded_reason, ${refused?.reason ?? null}::text) END
      WHERE booking_id = ${r.bookingId} AND flight_id = ${r.flightId} AND refunded_at IS NULL`;
    return rows.count === 1;
  }

  /** The flight's leg refunds not yet recorded as made (a try stopped between writing and recording). */
  async unfinishedOn(flightId: number): Promise<LegRefundRow[]> {
    const rows = await this.sql<Row[]>`
      SELECT r.*, b.payment_type FROM booking_leg_refunds r JOIN bookings b ON b.id = r.booking_id
      WHERE r.flight_id = ${flightId} AND r.refunded_at IS NULL ORDER BY r.booking_id`;
    return rows.map(toLegRefund);
  }

  /** Leg refunds written more than `olderThanSeconds` ago and not recorded as made, oldest first. */
  async stale(olderThanSeconds: number, limit: number): Promise<LegRefundRow[]> {
    const rows = await this.sql<Row[]>`
      SELECT r.*, b.payment_type FROM booking_leg_refunds r JOIN bookings b ON b.id = r.booking_id
      WHERE r.refunded_at IS NULL AND r.created_at < now() - make_interval(secs => ${olderThanSeconds})
      ORDER BY r.created_at LIMIT ${limit}`;
    return rows.map(toLegRefund);
  }

  private async paymentsLeft(tx: TransactionSql, bookingId: number, b: Row): Promise<PaidPayment[]> {
    const completed = await tx<Row[]>`
      SELECT from_amount, payment_id, charge_amount, refund_plan FROM booking_changes
      WHERE booking_id = ${bookingId} AND status = 'completed' ORDER BY change_no`;
    const payments = paymentsOf(
      { paymentId: String(b.payment_id), totalAmount: num(b.total_amount) },
      completed.map(
        (c): CompletedChange => ({
          fromAmount: num(c.from_amount),
          paymentId: c.payment_id === null ? null : String(c.payment_id),
          chargeAmount: num(c.charge_amount),
          refundPlan: c.refund_plan as RefundPart[],
        }),
      ),
    );
    const earlier = await tx<Row[]>`SELECT refund_plan FROM booking_leg_refunds WHERE booking_id = ${bookingId}`;
    for (const part of earlier.flatMap((r) => r.refund_plan as RefundPart[])) {
      const p = payments.find((x) => x.paymentId === part.payment_id);
      if (p) p.refundedCents += cents(part.amount);
    }
    return payments;
  }
}
