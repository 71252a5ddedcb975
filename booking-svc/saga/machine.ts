// The booking saga's decisions, free of I/O: given where a booking stands (its step) and what
// the last action found out (an event), where it goes next. The executor performs the actions
// and persists the states; the sweeper resumes any unfinished row with `recover`. The hold is
// placed before the row exists (hold-step.ts decides with `next` here): a new row starts past it,
// at "pay", at "release" (to undo it) or done.
//
//   hold ──held──► pay ──paid──► confirm ──seats confirmed──► done (confirmed)
//    │              │              └──seats gone──► refund ──refunded──► done (failed)
//    │              └──declined / not charged──► release ──released──► done (failed)
//    └──refused──► done (failed)      (unknown hold outcome ──► release)
//   confirmed: cancel ──released──► cancel_refund ──refunded──► done (cancelled)
// An "unavailable" event (an upstream did not answer, the outcome is unknown) leaves the step
// as it is: the booking stays pending and the sweeper retries the same step later. A refund the
// provider refuses for good (it no longer knows the payment) ends the saga all the same, and
// `refundRefused` keeps why, so that the booking never says a payment came back that did not.

export type Step = "hold" | "pay" | "confirm" | "release" | "refund" | "cancel" | "cancel_refund" | "done";
export type BookingStatus = "pending" | "confirmed" | "failed" | "cancelled";

export type FailureCode =
  | "validation_error"
  | "not_enough_seats"
  | "flight_cancelled"
  | "payment_declined"
  | "payment_not_completed"
  | "insufficient_miles"
  | "hold_expired"
  | "flight_departed"
  | "service_unavailable";

export interface Failure {
  error: FailureCode;
  message: string;
  field?: string;
}

export interface SagaState {
  step: Step;
  status: BookingStatus;
  paymentId: string | null;
  refundId: string | null;
  /** Why a refund the booking owed was not made; null when every refund was made (or none owed). */
  refundRefused: string | null;
  failure: Failure | null;
}

export type SagaEvent =
  | { type: "held" }
  | { type: "hold_refused"; failure: Failure }
  | { type: "paid"; paymentId: string }
  | { type: "declined"; paymentId: string | null; failure: Failure }
  | { type: "not_charged"; failure: Failure }
  | { type: "seats_confirmed" }
  | { type: "seats_gone"; failure: Failure }
  | { type: "released" }
  /** `refused`: why a refund was not made; `failure`: a failed booking's failure, reworded to say so. */
  | { type: "refunded"; refundId: string | null; refused?: string; failure?: Failure }
  /** `what`: the upstream named and what it did, for the client (lib/upstream.ts upstreamFailure). */
  | { type: "unavailable"; reason: string; what?: string };

export type Action = "hold" | "pay" | "lookup_payment" | "confirm" | "release" | "refund" | "cancel_seats";

/** `persist`: write the new state before the next action; `stop`: nothing more can be done now. */
export interface Transition {
  state: SagaState;
  persist: boolean;
  stop: boolean;
}

export type Mode = "live" | "recover";

// A stored failure keeps the message it was written with; only new ones are built here.
function holdUnknown(what = "The flight service did not answer"): Failure {
  return { error: "service_unavailable", message: `${what}; nothing was charged.` };
}

export function initialState(): SagaState {
  return { step: "hold", status: "pending", paymentId: null, refundId: null, refundRefused: null, failure: null };
}

/** What to do in a step; null once the saga is done. Recovery only looks payments up. */
export function actionFor(step: Step, mode: Mode): Action | null {
  switch (step) {
    case "hold":
      return mode === "live" ? "hold" : null;
    case "pay":
      return mode === "live" ? "pay" : "lookup_payment";
    case "confirm":
      return "confirm";
    case "release":
      return "release";
    case "refund":
    case "cancel_refund":
      return "refund";
    case "cancel":
      return "cancel_seats";
    case "done":
      return null;
  }
}

/**
 * Where the sweeper starts with an unfinished row. A request writes its row at "pay" once the
 * seats are held and persists nothing more until it settles (pay → confirm is not written, to
 * keep the hot path at two writes), so a row at "pay" may have been paid for: its recovery looks
 * the payment up by its key and confirms, refunds or releases from there. A row still at "hold"
 * (written before the hold came first) is recovered the same way.
 */
export function recover(state: SagaState): SagaState {
  if (state.step === "hold") return { ...state, step: "pay" };
  return state;
}

const go = (state: SagaState, patch: Partial<SagaState>, persist = true): Transition => ({
  state: { ...state, ...patch },
  persist,
  stop: false,
});
const finish = (state: SagaState, patch: Partial<SagaState>): Transition => ({
  state: { ...state, ...patch, step: "done" },
  persist: true,
  stop: true,
});
const stay = (state: SagaState): Transition => ({ state, persist: false, stop: true });

export class UnexpectedEvent extends Error {
  constructor(step: Step, event: SagaEvent) {
    super(`saga: event ${event.type} is not expected in step ${step}`);
    this.name = "UnexpectedEvent";
  }
}

export function next(state: SagaState, event: SagaEvent): Transition {
  const { step } = state;
  if (event.type === "unavailable") {
    // An unknown hold outcome is compensated at once (releasing is idempotent); anything
    // later keeps its step so that the payment is never forgotten.
    if (step === "hold") return go(state, { step: "release", failure: holdUnknown(event.what) });
    return stay(state);
  }
  switch (step) {
    case "hold":
      // The hold step's decisions, written with the new row.
      if (event.type === "held") return go(state, { step: "pay" }, false);
      if (event.type === "hold_refused") return finish(state, { status: "failed", failure: event.failure });
      break;
    case "pay":
      // Not persisted: recovering "pay" finds the payment by its key and confirms from there.
      if (event.type === "paid") return go(state, { step: "confirm", paymentId: event.paymentId }, false);
      if (event.type === "declined") {
        return go(state, { step: "release", paymentId: event.paymentId, failure: event.failure });
      }
      if (event.type === "not_charged") return go(state, { step: "release", failure: event.failure });
      break;
    case "confirm":
      if (event.type === "seats_confirmed") return finish(state, { status: "confirmed", failure: null });
      if (event.type === "seats_gone") return go(state, { step: "refund", failure: event.failure });
      break;
    case "release":
      if (event.type === "released") return finish(state, { status: "failed" });
      break;
    case "refund":
      if (event.type === "refunded") {
        return finish(state, {
          status: "failed",
          refundId: event.refundId,
          refundRefused: event.refused ?? null,
          failure: event.failure ?? state.failure,
        });
      }
      break;
    case "cancel":
      if (event.type === "released") return go(state, { step: "cancel_refund" });
      break;
    case "cancel_refund":
      if (event.type === "refunded") {
        return finish(state, { status: "cancelled", refundId: event.refundId, refundRefused: event.refused ?? null });
      }
      break;
    case "done":
      break;
  }
  throw new UnexpectedEvent(step, event);
}
