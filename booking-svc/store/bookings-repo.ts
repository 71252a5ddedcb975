import type { Sql } from "../../lib/postgres-plugin.js";
import type { ChangeEntryT } from "../change/change-schemas.js";
import { notRefunded, refundedOf } from "../change/change-views.js";
import type { BookingStatus, FailureCode, SagaState, Step } from "../saga/machine.js";
import type { LegRefundEntryT, Passenger } from "../schemas.js";
import { GroupedWrites } from "./grouped-writes.js";

export interface Leg {
  flight_id: number;
  price: number;
}

/** A bookings row alone: what the saga needs to resume or cancel a booking. */
export interface BookingRow {
  id: number;
  userId: number;
  seats: number;
  travelDate: string;
  paymentType: string;
  totalAmount: number;
  /** The total it was made at, before any change of its flights (what its request answered). */
  bookedAmount: number;
  status: BookingStatus;
  step: Step;
  errorCode: FailureCode | null;
  errorField: string | null;
  /** The failure's own text, set exactly when errorCode is. */
  failureMessage: string | null;
  holdId: string;
  /** The nonce in its own hold id (bk-<id>-<nonce>); null for a row from before migration 019 (bk-<id>). */
  holdNonce: string | null;
  paymentKey: string;
  paymentId: string | null;
  refundId: string | null;
  /** Why a refund the booking owed was not made (the provider refused it for good). */
  refundRefused: string | null;
  idempotencyKey: string | null;
  requestHash: string | null;
  /** X-Request-Id of the request that created it (null for bookings older than the column). */
  requestId: string | null;
  passengers: Passenger[];
  leaseUntil: Date;
  attempts: number;
  createdAt: Date;
  updatedAt: Date;
  confirmedAt: Date | null;
  cancelledAt: Date | null;
  cancelReason: CancelReason | null;
  /** A flight's new times left a connection of this booking shorter than the minimum. */
  connectionAtRisk: boolean;
  /** When its first leg was flown (flown/flown-job.ts): from then on it cannot be cancelled. */
  flownAt: Date | null;
  /** The change running on the booking (booking_changes.id); a cancellation waits for it. */
  changing: number | null;
}

export type CancelReason = "customer" | "flight_cancelled";

/** A bookings row with its legs in order: what a new booking's hold and the reads need. */
export interface BookingWithLegs extends BookingRow {
  legs: Leg[];
}

/** A booking as a client reads it: with its completed changes of flights, oldest first, and its legs refunded. */
export interface BookingRead extends BookingWithLegs {
  changes: ChangeEntryT[];
  legRefunds: LegRefundEntryT[];
}

export interface NewBooking {
  /** The id reserved for it (BookingIds). */
  id: number;
  /** The nonce its hold was placed with: bk-<id>-<nonce> (bookings.hold_id). */
  holdNonce: string;
  userId: number;
  seats: number;
  travelDate: string;
  paymentType: string;
  totalAmount: number;
  legs: Leg[];
  passengers: Passenger[];
  idempotencyKey: string | null;
  requestHash: string | null;
  requestId: string | null;
  /** Past its hold ("pay", or "release" to undo it), or failed at once when refused. */
  state: SagaState;
  /** Until when the request owns the saga; then the sweeper may take over. */
  leaseSeconds: number;
}

type Row = Record<string, unknown>;

const num = (v: unknown): number => Number(v);
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function toRow(r: Row): BookingRow {
  return {
    id: num(r.id),
    userId: num(r.user_id),
    seats: num(r.seats),
    travelDate: String(r.travel_date),
    paymentType: String(r.payment_type),
    totalAmount: num(r.total_amount),
    // A row from before migration 017 that no change has moved has none: its total is it.
    bookedAmount: num(r.booked_amount ?? r.total_amount),
    status: r.status as BookingStatus,
    step: r.step as Step,
    errorCode: strOrNull(r.error_code) as FailureCode | null,
    errorField: strOrNull(r.error_field),
    failureMessage: strOrNull(r.failure_message),
    // A changed booking's seats are under its last change's hold.
    holdId: String(r.change_hold_id ?? r.hold_id),
    holdNonce: strOrNull(r.hold_nonce),
    paymentKey: String(r.payment_key),
    paymentId: strOrNull(r.payment_id),
    refundId: strOrNull(r.refund_id),
    refundRefused: strOrNull(r.refund_refused),
    idempotencyKey: strOrNull(r.idempotency_key),
    requestHash: strOrNull(r.request_hash),
    requestId: strOrNull(r.request_id),
    passengers: (r.passengers ?? []) as Passenger[],
    leaseUntil: r.lease_until as Date,
    attempts: num(r.attempts),
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
    confirmedAt: (r.confirmed_at as Date | null) ?? null,
    cancelledAt: (r.cancelled_at as Date | null) ?? null,
    cancelReason: strOrNull(r.cancel_reason) as CancelReason | null,
    connectionAtRisk: r.connection_at_risk === true,
    flownAt: (r.flown_at as Date | null) ?? null,
    changing: r.changing === null || r.changing === undefined ? null : num(r.changing),
  };
}

function toWithLegs(r: Row): BookingWithLegs {
  const legs = (r.legs as Leg[]).map((l) => ({ flight_id: num(l.flight_id), price: num(l.price) }));
  return { ...toRow(r), legs };
}

function toRead(r: Row): BookingRead {
  const changes = (r.changes as Row[]).map((c): ChangeEntryT => {
    const entry: ChangeEntryT = {
      at: new Date(String(c.at)).toISOString(),
      from_flight_ids: (c.from_flight_ids as unknown[]).map(num),
      to_flight_ids: (c.to_legs as Leg[]).map((l) => num(l.flight_id)),
      fare_difference: Math.round((num(c.to_amount) - num(c.from_amount)) * 100) / 100,
      fee: num(c.fee),
      charged: num(c.charge_amount),
      refunded: refundedOf(num(c.refund_amount), num(c.unrefunded_amount)),
    };
    if (c.unrefunded_reason === null) return entry;
    const notMade = num(c.unrefunded_amount);
    return { ...entry, not_refunded: notMade, message: notRefunded(notMade, String(c.unrefunded_reason)) };
  });
  return { ...toWithLegs(r), changes, legRefunds: (r.leg_refunds as Row[]).map(toLegRefundEntry) };
}

function toLegRefundEntry(l: Row): LegRefundEntryT {
  const at = strOrNull(l.refunded_at);
  const amount = num(l.amount);
  const notMade = num(l.unrefunded_amount);
  const entry: LegRefundEntryT = {
    flight_id: num(l.flight_id),
    amount,
    refunded: at === null ? null : refundedOf(amount, notMade),
    refunded_at: at === null ? null : new Date(at).toISOString(),
  };
  if (l.unrefunded_reason === null) return entry;
  return { ...entry, not_refunded: notMade, message: notRefunded(notMade, String(l.unrefunded_reason)) };
}

/** What PostgreSQL makes for a new row: its generated columns and its times. */
interface Written {
  id: string;
  hold_id: string;
  payment_key: string;
  lease_until: Date;
  created_at: Date;
}

/** A new booking as its INSERT wrote it: the columns it was given, their defaults, and `w`. */
function asWritten(n: NewBooking, w: Written): BookingWithLegs {
  const failure = n.state.failure;
  return {
    id: n.id,
    userId: n.userId,
    seats: n.seats,
    travelDate: n.travelDate,
    paymentType: n.paymentType,
    totalAmount: n.totalAmount,
    bookedAmount: n.totalAmount,
    status: n.state.status,
    step: n.state.step,
    errorCode: failure?.error ?? null,
    errorField: failure?.field ?? null,
    failureMessage: failure?.message ?? null,
    holdId: w.hold_id,
    holdNonce: n.holdNonce,
    paymentKey: w.payment_key,
    paymentId: null,
    refundId: null,
    refundRefused: null,
    idempotencyKey: n.idempotencyKey,
    requestHash: n.requestHash,
    requestId: n.requestId,
    passengers: n.passengers,
    leaseUntil: w.lease_until,
    attempts: 0,
    createdAt: w.created_at,
    updatedAt: w.created_at,
    confirmedAt: null,
    cancelledAt: null,
    cancelReason: null,
    connectionAtRisk: false,
    flownAt: null,
    changing: null,
    legs: n.legs,
  };
}

/** One saga state to write, if its row is still at `expected`. */
interface Save {
  id: number;
  expected: Step;
  s: SagaState;
  noticeSent: boolean;
}

/** At most this many saves in one statement. */
const SAVE_GROUP = 100;

export class BookingsRepo {
  constructor(private readonly sql: Sql) {}

  private cols() {
    return this.sql`b.*, b.travel_date::text AS travel_date,
      COALESCE((SELECT json_agg(json_build_object('flight_id', l.flight_id, 'price', l.price) ORDER BY l.leg_no)
                FROM booking_legs l WHERE l.booking_id = b.id), '[]'::json) AS legs`;
  }

  /** cols() and the booking's completed changes: what the reads show, and only they need. */
  private readCols() {
    return this.sql`${this.cols()},
      COALESCE((SELECT json_agg(json_build_object('at', c.finished_at, 'from_flight_ids', c.from_flight_ids,
                  'to_legs', c.to_legs, 'from_amount', c.from_amount, 'to_amount', c.to_amount, 'fee', c.fee,
                  'charge_amount', c.charge_amount, 'refund_amount', c.refund_amount,
                  'unrefunded_amount', c.unrefunded_amount, 'unrefunded_reason', c.unrefunded_reason) ORDER BY c.change_no)
                FROM booking_changes c WHERE c.booking_id = b.id AND c.status = 'completed'), '[]'::json) AS changes,
      COALESCE((SELECT json_agg(json_build_object('flight_id', r.flight_id, 'amount', r.amount,
                  'refunded_at', r.refunded_at, 'unrefunded_amount', r.unrefunded_amount,
                  'unrefunded_reason', r.unrefunded_reason) ORDER BY r.created_at, r.flight_id)
                FROM booking_leg_refunds r WHERE r.booking_id = b.id), '[]'::json) AS leg_refunds`;
  }

  /**
   * Inserts bookings, each under its reserved id, with their legs, in one statement: bookings
   * that arrive together cost one commit per group (store/new-bookings.ts). Each row as written,
   * or null for one whose Idempotency-Key another row holds. Only what PostgreSQL makes for a row
   * comes back (the generated ids, the times): a row read back whole cost a group of 12 about half
   * as much again in PostgreSQL, most of it the legs' aggregate, and its parsing in this process.
   * The legs of a failed booking, or of one made after its travel date, are written as never
   * flown: they stay out of the flown job's index (migrations 010 and 011).
   */
  async insertAll(rows: NewBooking[]): Promise<(BookingWithLegs | null)[]> {
    const doc = rows.map((n) => ({
      id: n.id,
      hold_nonce: n.holdNonce,
      user_id: n.userId,
      seats: n.seats,
      travel_date: n.travelDate,
      payment_type: n.paymentType,
      total_amount: n.totalAmount,
      status: n.state.status,
      step: n.state.step,
      error_code: n.state.failure?.error ?? null,
      error_field: n.state.failure?.field ?? null,
      failure_message: n.state.failure?.message ?? null,
      idempotency_key: n.idempotencyKey,
      request_hash: n.requestHash,
      request_id: n.requestId,
      passengers: n.passengers,
      lease_seconds: n.leaseSeconds,
      legs: n.legs,
    }));
    const written = await this.sql<Written[]>`
      WITH r AS (
        SELECT * FROM jsonb_to_recordset(${this.sql.json(doc as never)}::jsonb) AS x(id bigint, hold_nonce text,
          user_id bigint, seats integer, travel_date date, payment_type text, total_amount numeric, status text, step text,
          error_code text, error_field text, failure_message text, idempotency_key text, request_hash text,
          request_id text, passengers jsonb, lease_seconds integer, legs jsonb)
      ), b AS (
        INSERT INTO bookings (id, hold_nonce, user_id, seats, travel_date, payment_type, total_amount, booked_amount,
          status, step, error_code, error_field, failure_message, idempotency_key, request_hash, request_id, passengers,
          lease_until)
        SELECT id, hold_nonce, user_id, seats, travel_date, payment_type, total_amount, total_amount, status, step,
          error_code, error_field, failure_message, idempotency_key, request_hash, request_id, passengers,
          now() + make_interval(secs => lease_seconds)
        FROM r
        ON CONFLICT (user_id, idempotency_key) DO NOTHING
        RETURNING id, hold_id, payment_key, lease_until, created_at
      ), legs AS (
        INSERT INTO booking_legs (booking_id, leg_no, flight_id, price, travel_date, never_flown_at)
        SELECT r.id, l.ord, (l.leg->>'flight_id')::bigint, (l.leg->>'price')::numeric, r.travel_date,
          CASE WHEN r.status = 'failed' OR now() >= r.travel_date + 1 THEN now() END
        FROM r JOIN b ON b.id = r.id, jsonb_array_elements(r.legs) WITH ORDINALITY AS l(leg, ord)
      )
      SELECT id, hold_id, payment_key, lease_until, created_at FROM b`;
    const byId = new Map(written.map((w) => [Number(w.id), w]));
    return rows.map((n) => {
      const w = byId.get(n.id);
      return w ? asWritten(n, w) : null;
    });
  }

  async get(id: number): Promise<BookingWithLegs | null> {
    const rows = await this.sql<Row[]>`SELECT ${this.cols()} FROM bookings b WHERE b.id = ${id}`;
    return rows[0] ? toWithLegs(rows[0]) : null;
  }

  /** One booking as GET /api/bookings/:id shows it. */
  async read(id: number): Promise<BookingRead | null> {
    const rows = await this.sql<Row[]>`SELECT ${this.readCols()} FROM bookings b WHERE b.id = ${id}`;
    return rows[0] ? toRead(rows[0]) : null;
  }

  async getByIdempotencyKey(userId: number, key: string): Promise<BookingWithLegs | null> {
    const rows = await this.sql<Row[]>`
      SELECT ${this.cols()} FROM bookings b WHERE b.user_id = ${userId} AND b.idempotency_key = ${key}`;
    return rows[0] ? toWithLegs(rows[0]) : null;
  }

  /** One user's bookings, newest first, `limit` after the cursor (a booking id). */
  async list(userId: number, limit: number, before: number | null): Promise<BookingRead[]> {
    const rows = await this.sql<Row[]>`
      SELECT ${this.readCols()} FROM bookings b
      WHERE b.user_id = ${userId} ${before === null ? this.sql`` : this.sql`AND b.id < ${before}`}
      ORDER BY b.id DESC LIMIT ${limit}`;
    return rows.map(toRead);
  }

  /**
   * Writes a new saga state if the row is still at `expected` (compare-and-set): whoever moved
   * the row first (the request, the sweeper) wins, and the loser stops. False if it lost.
   * Saves that arrive while one is written go together in the next statement (a booking settles
   * with one, and under load each would otherwise be a transaction of its own). A save that
   * confirms the booking marks its confirmation notice owed unless `noticeSent`; one that cancels
   * it marks its cancellation notice owed (sent after the save). A save after
   * which the booking can never fly (failed, cancelled, or confirmed only once its travel date
   * had passed) marks its legs never flown, out of the flown job's index (migration 011).
   */
  save(id: number, expected: Step, s: SagaState, noticeSent = false): Promise<boolean> {
    return this.saves.add({ id, expected, s, noticeSent });
  }

  private readonly saves = new GroupedWrites<Save, boolean>((items) => this.saveAll(items), SAVE_GROUP);

  private async saveAll(items: Save[]): Promise<boolean[]> {
    const col = <K>(f: (x: Save) => K) => items.map(f);
    // noticeSent goes as text[]: postgres.js sends a JS boolean array as one boolean, and text
    // for a boolean[] parameter as false.
    // Two saves of one row in a group join it twice; PostgreSQL updates it once, from one of
    // them, and RETURNING names which: the other lost, as it would have a moment later.
    const rows = await this.sql<{ ord: string }[]>`
      WITH saved AS (
        UPDATE bookings b SET status = v.status, step = v.step, payment_id = v.payment_id,
          refund_id = v.refund_id, refund_refused = v.refund_refused, error_code = v.error_code,
          error_field = v.error_field, failure_message = v.failure_message, updated_at = now(),
          confirmed_at = CASE WHEN v.status = 'confirmed' THEN COALESCE(b.confirmed_at, now()) ELSE b.confirmed_at END,
          confirm_notice_due = b.confirm_notice_due OR (v.status = 'confirmed' AND b.confirmed_at IS NULL AND NOT v.notice_sent)
            OR (v.status = 'cancelled' AND b.status <> 'cancelled'),
          cancelled_at = CASE WHEN v.status = 'cancelled' THEN now() ELSE b.cancelled_at END
        FROM unnest(${col((x) => x.id)}::bigint[], ${col((x) => x.expected)}::text[], ${col((x) => x.s.status)}::text[],
            ${col((x) => x.s.step)}::text[], ${col((x) => x.s.paymentId)}::text[], ${col((x) => x.s.refundId)}::text[],
            ${col((x) => x.s.refundRefused)}::text[], ${col((x) => x.s.failure?.error ?? null)}::text[],
            ${col((x) => x.s.failure?.field ?? null)}::text[], ${col((x) => x.s.failure?.message ?? null)}::text[],
            ${col((x) => String(x.noticeSent))}::text[]::boolean[])
          WITH ORDINALITY AS v(id, expected, status, step, payment_id, refund_id, refund_refused, error_code,
            error_field, failure_message, notice_sent, ord)
        WHERE b.id = v.id AND b.step = v.expected
        RETURNING b.id, b.status, b.created_at, b.confirmed_at, b.travel_date, v.ord
      ), never_flown AS (
        UPDATE booking_legs l SET never_flown_at = now()
        FROM saved s
        WHERE l.booking_id = s.id AND l.flown_at IS NULL AND l.never_flown_at IS NULL
          AND (s.status IN ('failed', 'cancelled')
            OR (s.status = 'confirmed' AND s.confirmed_at >= s.travel_date + 1 AND s.created_at < s.travel_date + 1))
      )
      SELECT ord FROM saved`;
    const won = new Set(rows.map((r) => Number(r.ord)));
    return items.map((_, i) => won.has(i + 1));
  }

  /** Lets whoever looks next (sweeper, a retried cancel) take the booking over in `seconds`. */
  async setLease(id: number, seconds: number): Promise<void> {
    await this.sql`UPDATE bookings SET lease_until = now() + make_interval(secs => ${seconds}) WHERE id = ${id}`;
  }

  /**
   * Claims up to `batch` unfinished bookings whose lease has ended, for `leaseSeconds`. SKIP
   * LOCKED and the new lease keep several sweepers (instances) off each other's bookings.
   */
  async claimUnfinished(batch: number, leaseSeconds: number): Promise<BookingRow[]> {
    const rows = await this.sql<Row[]>`
      UPDATE bookings b SET lease_until = now() + make_interval(secs => ${leaseSeconds}), attempts = attempts + 1
      WHERE b.id IN (
        SELECT id FROM bookings WHERE step <> 'done' AND lease_until < now()
        ORDER BY lease_until LIMIT ${batch} FOR UPDATE SKIP LOCKED)
      RETURNING b.*, b.travel_date::text AS travel_date`;
    return rows.map(toRow);
  }

  /**
   * Starts or takes over a cancellation: a confirmed booking moves to step "cancel"; one whose
   * cancellation stalled is taken over once its lease ended. null if neither applies now, or
   * while a change of its flights runs (the change holds the row's `changing` until it settles);
   * "checking_in" while a check-in of it runs. The row's update lock orders this with a check-in
   * marking itself running (CheckInsRepo): the check-in sees the cancellation, or this sees it.
   */
  claimCancel(
    id: number,
    leaseSeconds: number,
    reason: CancelReason = "customer",
  ): Promise<BookingRow | "checking_in" | null> {
    return this.sql.begin(async (tx) => {
      const [claimable] = await tx`
        SELECT 1 FROM bookings
        WHERE id = ${id} AND status = 'confirmed' AND flown_at IS NULL AND changing IS NULL
          AND (step = 'done' OR (step IN ('cancel', 'cancel_refund') AND lease_until < now()))
        FOR UPDATE`;
      if (!claimable) return null;
      const [checkingIn] = await tx`
        SELECT 1 FROM booking_check_ins WHERE booking_id = ${id} AND lease_until > now() LIMIT 1`;
      if (checkingIn) return "checking_in" as const;
      const [row] = await tx<Row[]>`
        UPDATE bookings SET step = CASE WHEN step = 'done' THEN 'cancel' ELSE step END,
          cancel_reason = COALESCE(cancel_reason, ${reason}),
          lease_until = now() + make_interval(secs => ${leaseSeconds}), updated_at = now()
        WHERE id = ${id}
        RETURNING *, travel_date::text AS travel_date`;
      return toRow(row as Row);
    });
  }

  /** Bookings with a leg on the flight, with their legs, oldest first. */
  async onFlight(flightId: number): Promise<BookingWithLegs[]> {
    const rows = await this.sql<Row[]>`
      SELECT ${this.cols()} FROM bookings b
      WHERE b.id IN (SELECT booking_id FROM booking_legs WHERE flight_id = ${flightId})
      ORDER BY b.id`;
    return rows.map(toWithLegs);
  }

  /**
   * Whether a change still running moves a booking onto the flight: its new legs are confirmed
   * there before the booking's legs are swapped, so onFlight does not see that booking yet.
   */
  async changingOnto(flightId: number): Promise<boolean> {
    const rows = await this.sql`
      SELECT 1 FROM booking_changes c JOIN bookings b ON b.changing = c.id
      WHERE c.step <> 'done' AND c.to_legs @> ${this.sql.json([{ flight_id: flightId }] as never)}
      LIMIT 1`;
    return rows.length > 0;
  }

  /** Bookings whose confirmation or cancellation notice is still owed, made at least `seconds` ago. */
  async confirmNoticesDue(limit: number, seconds: number): Promise<number[]> {
    const rows = await this.sql<{ id: number }[]>`
      SELECT id FROM bookings
      WHERE confirm_notice_due AND COALESCE(cancelled_at, confirmed_at) < now() - make_interval(secs => ${seconds})
      ORDER BY id LIMIT ${limit}`;
    return rows.map((r) => Number(r.id));
  }

  async confirmNoticesSent(ids: number[]): Promise<void> {
    await this
      .sql`UPDATE bookings SET confirm_notice_due = false WHERE id = ANY(${ids}::bigint[]) AND confirm_notice_due`;
  }

  async markConnectionAtRisk(id: number): Promise<void> {
    await this.sql`UPDATE bookings SET connection_at_risk = true, updated_at = now()
      WHERE id = ${id} AND NOT connection_at_risk`;
  }

  /** A retime gave every connection its minimum again: the booking is no longer at risk. */
  async clearConnectionAtRisk(id: number): Promise<void> {
    await this.sql`UPDATE bookings SET connection_at_risk = false, updated_at = now()
      WHERE id = ${id} AND connection_at_risk`;
  }
}
