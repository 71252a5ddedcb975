import type { Sql } from "../../lib/postgres-plugin.js";
import type { ChangeState, ChangeStatus, ChangeStep } from "../change/machine.js";
import { type CompletedChange, changeMoney, paymentsOf, type RefundPart } from "../change/money.js";
import type { FailureCode } from "../saga/machine.js";
import type { Leg } from "./bookings-repo.js";

/** A booking_changes row with what the change saga needs of its booking. */
export interface ChangeRow {
  id: number;
  bookingId: number;
  changeNo: number;
  status: ChangeStatus;
  step: ChangeStep;
  travelDate: string;
  /** The booking's travel date before the change; null for a change recorded before migration 015. */
  fromTravelDate: string | null;
  fromFlightIds: number[];
  toLegs: Leg[];
  fromHoldId: string;
  holdId: string;
  paymentKey: string;
  fromAmount: number;
  toAmount: number;
  fee: number;
  chargeAmount: number;
  refundAmount: number;
  refundPlan: RefundPart[];
  paymentId: string | null;
  refundIds: string[];
  /** What the provider refused to refund for good, and why; 0 and null when nothing was refused. */
  unrefundedAmount: number;
  unrefundedReason: string | null;
  errorCode: FailureCode | null;
  errorField: string | null;
  failureMessage: string | null;
  idempotencyKey: string | null;
  requestHash: string | null;
  requestId: string | null;
  attempts: number;
  /** Until when the request (or sweeper) running the change owns it. */
  leaseUntil: Date;
  createdAt: Date;
  finishedAt: Date | null;
  userId: number;
  seats: number;
  paymentType: string;
}

export interface NewChange {
  bookingId: number;
  /** The legs the request was checked against: the change is refused if they moved since. */
  fromFlightIds: number[];
  toLegs: Leg[];
  travelDate: string;
  toAmount: number;
  fee: number;
  idempotencyKey: string | null;
  requestHash: string | null;
  requestId: string | null;
  leaseSeconds: number;
}

/**
 * Why a change could not start: the booking is not (or no longer) in a state to change, or a
 * check-in of it runs (booking_check_ins), which the change waits for.
 */
export type StartRefusal = "not_found" | "not_confirmed" | "change_in_progress" | "legs_moved" | "checking_in";

export type StartResult = { row: ChangeRow } | { keyTaken: ChangeRow } | { refused: StartRefusal };

type Row = Record<string, unknown>;
const num = (v: unknown): number => Number(v);
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function toChange(r: Row): ChangeRow {
  return {
    id: num(r.id),
    bookingId: num(r.booking_id),
    changeNo: num(r.change_no),
    status: r.status as ChangeStatus,
    step: r.step as ChangeStep,
    travelDate: String(r.travel_date),
    fromTravelDate: strOrNull(r.from_travel_date),
    fromFlightIds: (r.from_flight_ids as unknown[]).map(num),
    toLegs: (r.to_legs as Leg[]).map((l) => ({ flight_id: num(l.flight_id), price: num(l.price) })),
    fromHoldId: String(r.from_hold_id),
    holdId: String(r.hold_id),
    paymentKey: String(r.payment_key),
    fromAmount: num(r.from_amount),
    toAmount: num(r.to_amount),
    fee: num(r.fee),
    chargeAmount: num(r.charge_amount),
    refundAmount: num(r.refund_amount),
    refundPlan: (r.refund_plan as RefundPart[]).map((p) => ({ payment_id: p.payment_id, amount: num(p.amount) })),
    paymentId: strOrNull(r.payment_id),
    refundIds: (r.refund_ids as string[] | null) ?? [],
    unrefundedAmount: num(r.unrefunded_amount),
    unrefundedReason: strOrNull(r.unrefunded_reason),
    errorCode: strOrNull(r.error_code) as FailureCode | null,
    errorField: strOrNull(r.error_field),
    failureMessage: strOrNull(r.failure_message),
    idempotencyKey: strOrNull(r.idempotency_key),
    requestHash: strOrNull(r.request_hash),
    requestId: strOrNull(r.request_id),
    attempts: num(r.attempts),
    leaseUntil: r.lease_until as Date,
    createdAt: r.created_at as Date,
    finishedAt: (r.finished_at as Date | null) ?? null,
    userId: num(r.user_id),
    seats: num(r.seats),
    paymentType: String(r.payment_type),
  };
}

const sameIds = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export class ChangesRepo {
  constructor(private readonly sql: Sql) {}

  private select(where: ReturnType<Sql>) {
    return this.sql<Row[]>`
      SELECT c.*, c.travel_date::text AS travel_date, c.from_travel_date::text AS from_travel_date,
        b.user_id, b.seats, b.payment_type
      FROM booking_changes c JOIN bookings b ON b.id = c.booking_id WHERE ${where}`;
  }

  async get(id: number): Promise<ChangeRow | null> {
    const rows = await this.select(this.sql`c.id = ${id}`);
    return rows[0] ? toChange(rows[0]) : null;
  }

  async getByKey(bookingId: number, key: string): Promise<ChangeRow | null> {
    const rows = await this.select(this.sql`c.booking_id = ${bookingId} AND c.idempotency_key = ${key}`);
    return rows[0] ? toChange(rows[0]) : null;
  }

  /**
   * Records a new change and marks its booking as changing, in one transaction that holds the
   * booking's row: a cancellation (claimCancel), a check-in marking itself running (CheckInsRepo)
   * or a second change waits for it and then sees it; and which sees a check-in marked before.
   * The money plan is made here, from the booking's payments as they stand under that lock.
   */
  async start(n: NewChange): Promise<StartResult> {
    return this.sql.begin(async (tx) => {
      const [b] = await tx<Row[]>`
        SELECT b.status, b.step, b.changing, b.payment_id, b.total_amount, b.key_nonce, b.hold_nonce,
          b.travel_date::text AS travel_date,
          COALESCE(b.change_hold_id, b.hold_id) AS hold_id,
          ARRAY(SELECT flight_id FROM booking_legs l WHERE l.booking_id = b.id ORDER BY l.leg_no) AS flight_ids
        FROM bookings b WHERE b.id = ${n.bookingId} FOR UPDATE`;
      if (!b) return { refused: "not_found" as const };
      if (n.idempotencyKey !== null) {
        const [held] = await tx<Row[]>`SELECT id FROM booking_changes
          WHERE booking_id = ${n.bookingId} AND idempotency_key = ${n.idempotencyKey}`;
        if (held) return { keyTaken: (await this.get(num(held.id))) as ChangeRow };
      }
      if (b.status !== "confirmed" || b.step !== "done" || b.payment_id === null) {
        return { refused: "not_confirmed" as const };
      }
      if (b.changing !== null) return { refused: "change_in_progress" as const };
      if (!sameIds((b.flight_ids as unknown[]).map(num), n.fromFlightIds)) return { refused: "legs_moved" as const };
      const [checkingIn] = await tx`
        SELECT 1 FROM booking_check_ins WHERE booking_id = ${n.bookingId} AND lease_until > now() LIMIT 1`;
      if (checkingIn) return { refused: "checking_in" as const };
      const completed = await tx<Row[]>`
        SELECT from_amount, payment_id, charge_amount, refund_plan FROM booking_changes
        WHERE booking_id = ${n.bookingId} AND status = 'completed' ORDER BY change_no`;
      const fromAmount = num(b.total_amount);
      const payments = paymentsOf(
        { paymentId: String(b.payment_id), totalAmount: fromAmount },
        completed.map(
          (c): CompletedChange => ({
            fromAmount: num(c.from_amount),
            paymentId: strOrNull(c.payment_id),
            chargeAmount: num(c.charge_amount),
            refundPlan: c.refund_plan as RefundPart[],
          }),
        ),
      );
      const money = changeMoney(fromAmount, n.toAmount, n.fee, payments);
      const [made] = await tx<{ id: number }[]>`
        INSERT INTO booking_changes (booking_id, change_no, status, step, travel_date, from_travel_date,
          from_flight_ids, to_legs,
          from_hold_id, key_nonce, hold_nonce, from_amount, to_amount, fee, charge_amount, refund_amount, refund_plan,
          idempotency_key, request_hash, request_id, lease_until)
        VALUES (${n.bookingId},
          (SELECT COALESCE(max(change_no), 0) + 1 FROM booking_changes WHERE booking_id = ${n.bookingId}),
          'pending', 'hold', ${n.travelDate}, ${String(b.travel_date)}, ${n.fromFlightIds}::bigint[],
          ${tx.json(n.toLegs as never)},
          ${String(b.hold_id)}, ${strOrNull(b.key_nonce)}, ${strOrNull(b.hold_nonce)}, ${fromAmount}, ${n.toAmount}, ${money.fee},
          ${money.charge}, ${money.refund}, ${tx.json(money.refundPlan as never)}, ${n.idempotencyKey},
          ${n.requestHash}, ${n.requestId}, now() + make_interval(secs => ${n.leaseSeconds}))
        RETURNING id`;
      const id = num(made?.id);
      await tx`UPDATE bookings SET changing = ${id}, updated_at = now() WHERE id = ${n.bookingId}`;
      const rows = await tx<Row[]>`
        SELECT c.*, c.travel_date::text AS travel_date, c.from_travel_date::text AS from_travel_date,
          b.user_id, b.seats, b.payment_type
        FROM booking_changes c JOIN bookings b ON b.id = c.booking_id WHERE c.id = ${id}`;
      return { row: toChange(rows[0] as Row) };
    });
  }

  /**
   * Writes a new state if the change is still at `expected` (compare-and-set, as the bookings'
   * save); a failed change lets its booking go (changing = null) in the same statement.
   */
  async save(id: number, expected: ChangeStep, s: ChangeState): Promise<boolean> {
    const rows = await this.sql<{ n: number }[]>`
      WITH c AS (
        UPDATE booking_changes SET step = ${s.step}, status = ${s.status}, payment_id = ${s.paymentId},
          refund_ids = ${s.refundIds}::text[], unrefunded_amount = ${s.unrefunded?.amount ?? 0},
          unrefunded_reason = ${s.unrefunded?.reason ?? null}, error_code = ${s.failure?.error ?? null},
          error_field = ${s.failure?.field ?? null}, failure_message = ${s.failure?.message ?? null},
          updated_at = now(), finished_at = CASE WHEN ${s.step} = 'done' THEN now() ELSE finished_at END
        WHERE id = ${id} AND step = ${expected}
        RETURNING booking_id
      ), freed AS (
        UPDATE bookings SET changing = NULL, updated_at = now()
        WHERE ${s.step} = 'done' AND id IN (SELECT booking_id FROM c) AND changing = ${id}
      )
      SELECT count(*)::int AS n FROM c`;
    return rows[0]?.n === 1;
  }

  /**
   * The change's last step: the booking takes the new legs, fare, date and hold, and lets the
   * change go, in the transaction that marks the change completed. False if someone else did it.
   */
  async swap(id: number, s: ChangeState): Promise<boolean> {
    return this.sql.begin(async (tx) => {
      const [c] = await tx<Row[]>`
        UPDATE booking_changes SET step = 'done', status = 'completed', refund_ids = ${s.refundIds}::text[],
          unrefunded_amount = ${s.unrefunded?.amount ?? 0}, unrefunded_reason = ${s.unrefunded?.reason ?? null},
          payment_id = ${s.paymentId}, updated_at = now(), finished_at = now()
        WHERE id = ${id} AND step = 'swap'
        RETURNING booking_id, to_legs, to_amount, travel_date::text AS travel_date, hold_id`;
      if (!c) return false;
      const legs = c.to_legs as Leg[];
      await tx`DELETE FROM booking_legs WHERE booking_id = ${num(c.booking_id)}`;
      await tx`
        INSERT INTO booking_legs (booking_id, leg_no, flight_id, price, travel_date)
        SELECT ${num(c.booking_id)}, x.ord, x.flight_id, x.price, ${String(c.travel_date)}::date
        FROM unnest(${legs.map((l) => l.flight_id)}::bigint[], ${legs.map((l) => l.price)}::numeric[])
          WITH ORDINALITY AS x(flight_id, price, ord)`;
      await tx`
        UPDATE bookings SET booked_amount = COALESCE(booked_amount, total_amount),
          total_amount = ${num(c.to_amount)}, travel_date = ${String(c.travel_date)},
          change_hold_id = ${String(c.hold_id)}, changing = NULL, connection_at_risk = false, updated_at = now(),
          confirm_notice_due = true
        WHERE id = ${num(c.booking_id)} AND changing = ${id}`;
      return true;
    });
  }

  /** The payments the booking's completed changes charged. */
  async chargesOf(bookingId: number): Promise<string[]> {
    const rows = await this.sql<{ payment_id: string }[]>`
      SELECT payment_id FROM booking_changes
      WHERE booking_id = ${bookingId} AND status = 'completed' AND payment_id IS NOT NULL ORDER BY change_no`;
    return rows.map((r) => r.payment_id);
  }

  async setLease(id: number, seconds: number): Promise<void> {
    await this.sql`UPDATE booking_changes SET lease_until = now() + make_interval(secs => ${seconds}) WHERE id = ${id}`;
  }

  /** Claims up to `batch` unfinished changes whose lease has ended, as claimUnfinished does bookings. */
  async claimUnfinished(batch: number, leaseSeconds: number): Promise<ChangeRow[]> {
    const claimed = await this.sql<{ id: number }[]>`
      UPDATE booking_changes SET lease_until = now() + make_interval(secs => ${leaseSeconds}), attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM booking_changes WHERE step <> 'done' AND lease_until < now()
        ORDER BY lease_until LIMIT ${batch} FOR UPDATE SKIP LOCKED)
      RETURNING id`;
    if (claimed.length === 0) return [];
    const rows = await this.select(this.sql`c.id = ANY(${claimed.map((r) => num(r.id))}::bigint[])`);
    return rows.map(toChange);
  }
}
