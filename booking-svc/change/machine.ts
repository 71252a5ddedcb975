// The change saga's decisions, free of I/O, as saga/machine.ts is the booking's: given where a
// change stands (its step) and what the last action found out, where it goes next.
//
//   hold ──held──► pay ──paid──► confirm ──confirmed──► release_old ──► refund ──► swap ──► done (completed)
//    │              │              └──seats gone──► undo_charge ──► undo_hold ──► done (failed)
//    │              └──declined / not charged──────────────────────► undo_hold
//    └──refused──► done (failed)    (unknown hold outcome ──► undo_hold)
//
// Confirming the new legs is the point of no return: before it every failure undoes the change
// (the booking keeps its old seats, a charge is refunded); after it the change is finished
// (old seats released, a refund paid, the legs swapped), retried until it is. A refund of a
// cheaper change therefore comes after the confirm, so money is never handed back for a change
// that then fails. An "unavailable" event keeps the step; the sweeper retries it later. A refund
// the provider refuses for good is no reason to wait: the change goes on and records what was
// not refunded and why (`unrefunded`), so that nobody is told money moved that did not.

import type { Failure } from "../saga/machine.js";

export type ChangeStep =
  | "hold"
  | "pay"
  | "confirm"
  | "release_old"
  | "refund"
  | "swap"
  | "undo_charge"
  | "undo_hold"
  | "done";
export type ChangeStatus = "pending" | "completed" | "failed";

/** Money a change owed back that the provider refused to refund, in money units, and why. */
export interface Unrefunded {
  amount: number;
  reason: string;
}

export interface ChangeState {
  step: ChangeStep;
  status: ChangeStatus;
  paymentId: string | null;
  refundIds: string[];
  unrefunded: Unrefunded | null;
  failure: Failure | null;
}

export type ChangeEvent =
  | { type: "held" }
  | { type: "hold_refused"; failure: Failure }
  | { type: "paid"; paymentId: string | null }
  | { type: "not_charged"; failure: Failure }
  | { type: "seats_confirmed" }
  | { type: "seats_gone"; failure: Failure }
  | { type: "released" }
  | { type: "refunded"; refundIds: string[]; unrefunded?: Unrefunded | null }
  | { type: "swapped" }
  /** `what`: the upstream named and what it did, for the client (lib/upstream.ts upstreamFailure). */
  | { type: "unavailable"; reason: string; what?: string };

export type ChangeAction =
  | "hold_new"
  | "charge"
  | "lookup_charge"
  | "confirm_new"
  | "release_old"
  | "refund"
  | "swap"
  | "refund_charge"
  | "release_new";

export type ChangeMode = "live" | "recover";

export interface ChangeTransition {
  state: ChangeState;
  stop: boolean;
}

function holdUnknown(what = "The flight service did not answer"): Failure {
  return { error: "service_unavailable", message: `${what}; the booking was not changed.` };
}
const NOT_COMPLETED: Failure = {
  error: "payment_not_completed",
  message: "The change could not be completed in time; nothing was charged and the booking was not changed.",
};

export function initialChangeState(): ChangeState {
  return { step: "hold", status: "pending", paymentId: null, refundIds: [], unrefunded: null, failure: null };
}

/** What to do in a step; null once the change is done. Recovery only looks a charge up. */
export function changeActionFor(step: ChangeStep, mode: ChangeMode): ChangeAction | null {
  switch (step) {
    case "hold":
      return mode === "live" ? "hold_new" : "release_new";
    case "pay":
      return mode === "live" ? "charge" : "lookup_charge";
    case "confirm":
      return "confirm_new";
    case "release_old":
      return "release_old";
    case "refund":
      return "refund";
    case "swap":
      return "swap";
    case "undo_charge":
      return "refund_charge";
    case "undo_hold":
      return "release_new";
    case "done":
      return null;
  }
}

/**
 * Where the sweeper starts with an unfinished change. A change still at "hold" may or may not
 * hold its new seats (its request died during the call): they are released, which flight-svc
 * makes final even for a hold still on its way.
 */
export function recoverChange(state: ChangeState): ChangeState {
  if (state.step === "hold") return { ...state, step: "undo_hold", failure: NOT_COMPLETED };
  return state;
}

const go = (state: ChangeState, patch: Partial<ChangeState>): ChangeTransition => ({
  state: { ...state, ...patch },
  stop: false,
});
const finish = (state: ChangeState, status: ChangeStatus, patch: Partial<ChangeState> = {}): ChangeTransition => ({
  state: { ...state, ...patch, step: "done", status },
  stop: true,
});

export class UnexpectedChangeEvent extends Error {
  constructor(step: ChangeStep, event: ChangeEvent) {
    super(`change saga: event ${event.type} is not expected in step ${step}`);
    this.name = "UnexpectedChangeEvent";
  }
}

export function nextChange(state: ChangeState, event: ChangeEvent): ChangeTransition {
  const { step } = state;
  if (event.type === "unavailable") {
    if (step === "hold") return go(state, { step: "undo_hold", failure: holdUnknown(event.what) });
    return { state, stop: true };
  }
  switch (step) {
    case "hold":
      if (event.type === "held") return go(state, { step: "pay" });
      if (event.type === "hold_refused") return finish(state, "failed", { failure: event.failure });
      break;
    case "pay":
      if (event.type === "paid") return go(state, { step: "confirm", paymentId: event.paymentId });
      if (event.type === "not_charged") return go(state, { step: "undo_hold", failure: event.failure });
      break;
    case "confirm":
      if (event.type === "seats_confirmed") return go(state, { step: "release_old" });
      if (event.type === "seats_gone") return go(state, { step: "undo_charge", failure: event.failure });
      break;
    case "release_old":
      if (event.type === "released") return go(state, { step: "refund" });
      break;
    case "refund":
      if (event.type === "refunded") {
        return go(state, { step: "swap", refundIds: event.refundIds, unrefunded: event.unrefunded ?? null });
      }
      break;
    case "swap":
      if (event.type === "swapped") return finish(state, "completed");
      break;
    case "undo_charge":
      if (event.type === "refunded") {
        return go(state, { step: "undo_hold", refundIds: event.refundIds, unrefunded: event.unrefunded ?? null });
      }
      break;
    case "undo_hold":
      if (event.type === "released") return finish(state, "failed");
      break;
    case "done":
      break;
  }
  throw new UnexpectedChangeEvent(step, event);
}
