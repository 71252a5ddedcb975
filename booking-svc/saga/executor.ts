import type { FastifyBaseLogger } from "fastify";
import type { ChangeHooks } from "../change/executor.js";
import type { LegRefundHooks } from "../disruption/leg-refunds.js";
import type { BookingStats } from "../stats.js";
import type { BookingRow, BookingsRepo, BookingWithLegs } from "../store/bookings-repo.js";
import type { TempBookings } from "../store/temp-bookings.js";
import type { SagaActions, SagaBooking } from "./actions.js";
import { type Action, actionFor, type Mode, next, recover, type SagaState, type Step } from "./machine.js";
import { stateOf } from "./state-of.js";

/** Test hooks, e.g. to take an upstream away between two steps. Never set in production. */
export interface SagaHooks extends ChangeHooks, LegRefundHooks {
  /** "hold" is the hold step's, before the booking's row exists (bookingId: the id reserved for it). */
  beforeAction?: (action: Action, bookingId: number) => Promise<void> | void;
  /** After the hold step placed a hold, before the booking's row is written. */
  afterHold?: (bookingId: number, holdId: string) => Promise<void> | void;
}

/**
 * The traveller's confirmation notice (disruption/notices.ts), sent before the save that
 * confirms the booking, so that save can say it is no longer owed.
 */
export interface ConfirmationNotice {
  /** Appends the notice of a booking about to be saved confirmed: false when it could not be. */
  beforeSave(booking: SagaBooking & { flightIds: number[] }): Promise<boolean>;
  /** The booking was saved confirmed with its notice owed (its row says so): send it now. */
  owed(booking: SagaBooking): void;
}

export interface RunResult {
  state: SagaState;
  /** Someone else (the sweeper, another request) moved the row first; `state` is what we last saw. */
  lost: boolean;
}

export function sagaBooking(b: BookingRow | BookingWithLegs): SagaBooking {
  return {
    id: b.id,
    userId: b.userId,
    amount: b.totalAmount,
    paymentType: b.paymentType,
    holdId: b.holdId,
    holdNonce: b.holdNonce,
    paymentKey: b.paymentKey,
    flightIds: "legs" in b ? b.legs.map((l) => l.flight_id) : null,
    seats: b.seats,
  };
}

/**
 * Runs a booking's saga from where its row stands: asks the machine for the next action,
 * performs it, persists the transition (compare-and-set on the step), until the saga is done
 * or an upstream leaves the outcome unknown.
 */
export class SagaExecutor {
  /** Sent for each booking this executor confirms. */
  notice: ConfirmationNotice | null = null;

  constructor(
    private readonly repo: BookingsRepo,
    private readonly temp: TempBookings,
    private readonly actions: SagaActions,
    private readonly holdTtlSeconds: number,
    private readonly stats: BookingStats,
    private readonly log: FastifyBaseLogger,
    private readonly hooks: SagaHooks = {},
  ) {}

  /** A new booking comes with its legs (its temporary copy names them); a claimed row comes without. */
  async run(booking: BookingRow | BookingWithLegs, mode: Mode): Promise<RunResult> {
    const b = sagaBooking(booking);
    let persisted: Step = booking.step;
    let state = mode === "recover" ? recover(stateOf(booking)) : stateOf(booking);
    // A new booking whose seats are held. Not awaited: the payment need not wait for the copy.
    // Redis runs one connection's commands in order, so the removal at the end still comes after it.
    if (mode === "live" && state.step === "pay" && b.flightIds) {
      void this.temp.put(this.tempOf(b, b.flightIds)).catch((err) => this.tempFailed(b, err));
    }
    let noticeOwed = false;
    for (;;) {
      const action = actionFor(state.step, mode);
      if (!action) return { state, lost: false };
      // Rows are written past their hold (hold-step.ts); one still at "hold" is the sweeper's.
      if (action === "hold") return { state, lost: false };
      await this.hooks.beforeAction?.(action, b.id);
      const event = await this.actions.perform(action, b, state);
      // release and refund while the booking is pending undo a booking that failed; the same
      // actions in a cancellation's steps are the cancellation itself.
      if ((state.step === "release" || state.step === "refund") && event.type !== "unavailable") {
        this.stats.compensations.add(state.step);
      }
      const t = next(state, event);
      const confirming = t.state.status === "confirmed" && state.status !== "confirmed";
      const cancelling = t.state.status === "cancelled" && state.status !== "cancelled";
      state = t.state;
      // A transition the machine did not ask to persist is written when the saga stops here.
      if (t.persist || (t.stop && state.step !== persisted)) {
        // The notice goes first when the saga knows the legs (a claimed row's are not read), so
        // the confirming save is the booking's last write. A crash between the two leaves the
        // row unconfirmed: whoever finishes the saga sends the notice again, which appends nothing.
        const sent =
          confirming && b.flightIds && this.notice
            ? await this.notice.beforeSave({ ...b, flightIds: b.flightIds })
            : false;
        const [saved] = await Promise.all([
          this.repo.save(b.id, persisted, state, sent),
          state.step === "done" ? this.temp.remove(b.id).catch((err) => this.tempFailed(b, err)) : null,
        ]);
        if (!saved) return { state, lost: true };
        persisted = state.step;
        // A cancellation's notice (its traveller's subscriptions end) goes after its save.
        if ((confirming && !sent) || cancelling) noticeOwed = true;
      }
      if (t.stop) {
        if (state.step === "done") {
          this.log.info({ booking_id: b.id, status: state.status, error: state.failure?.error }, "booking settled");
        }
        if (noticeOwed) this.notice?.owed(b);
        return { state, lost: false };
      }
    }
  }

  // The temporary booking (the original's, in Redis, while the seats are held) is a
  // convenience copy: losing it (Redis down) must not stop the saga.
  private tempFailed(b: SagaBooking, err: unknown): void {
    this.log.warn({ booking_id: b.id, err: (err as Error).message }, "temporary booking not updated");
  }

  private tempOf(b: SagaBooking, flightIds: number[]) {
    return {
      booking_id: b.id,
      user_id: b.userId,
      flight_ids: flightIds,
      seats: b.seats,
      total_amount: b.amount,
      hold_id: b.holdId,
      expires_at: new Date(Date.now() + this.holdTtlSeconds * 1000).toISOString(),
    };
  }
}
