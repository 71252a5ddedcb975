import type { FastifyBaseLogger } from "fastify";
import type { ChangeRow, ChangesRepo } from "../store/changes-repo.js";
import type { ChangeActions } from "./actions.js";
import { type ChangeMode, type ChangeState, changeActionFor, nextChange, recoverChange } from "./machine.js";

/** Test hooks, e.g. a crash between two steps of a change. Never set in production. */
export interface ChangeHooks {
  beforeChangeAction?: (action: string, changeId: number) => Promise<void> | void;
}

export interface ChangeRunResult {
  state: ChangeState;
  /** Someone else (the sweeper, another instance) moved the change first. */
  lost: boolean;
}

export function changeStateOf(c: ChangeRow): ChangeState {
  return {
    step: c.step,
    status: c.status,
    paymentId: c.paymentId,
    refundIds: c.refundIds,
    unrefunded: c.unrefundedReason === null ? null : { amount: c.unrefundedAmount, reason: c.unrefundedReason },
    failure:
      c.errorCode && c.failureMessage !== null
        ? { error: c.errorCode, message: c.failureMessage, ...(c.errorField ? { field: c.errorField } : {}) }
        : null,
  };
}

/**
 * Runs a change from where its row stands: asks the machine for the next action, performs it and
 * persists every transition (compare-and-set on the step), until the change is done or an
 * upstream leaves the outcome unknown. Changes are rare next to bookings, so every step is
 * written: recovery then never has to guess how far a change got.
 */
export class ChangeExecutor {
  /**
   * A completed change's notice (disruption/notices.ts): the booking confirmed on its new legs.
   * The swap marked it owed, so a crash before it is sent leaves it to the sweeper.
   */
  confirmed?: (bookingId: number) => void;

  constructor(
    private readonly repo: ChangesRepo,
    private readonly actions: ChangeActions,
    private readonly log: FastifyBaseLogger,
    private readonly hooks: ChangeHooks = {},
  ) {}

  async run(change: ChangeRow, mode: ChangeMode): Promise<ChangeRunResult> {
    let state = mode === "recover" ? recoverChange(changeStateOf(change)) : changeStateOf(change);
    let persisted = change.step;
    if (state.step !== persisted) {
      if (!(await this.repo.save(change.id, persisted, state))) return { state, lost: true };
      persisted = state.step;
    }
    for (;;) {
      const action = changeActionFor(state.step, mode);
      if (!action) return { state, lost: false };
      await this.hooks.beforeChangeAction?.(action, change.id);
      if (action === "swap") {
        const done = { ...state, step: "done" as const, status: "completed" as const };
        if (!(await this.repo.swap(change.id, state))) return { state, lost: true };
        this.confirmed?.(change.bookingId);
        this.settled(change, done);
        return { state: done, lost: false };
      }
      const event = await this.actions.perform(action, change, state);
      const t = nextChange(state, event);
      if (t.state.step !== state.step) {
        if (!(await this.repo.save(change.id, persisted, t.state))) return { state: t.state, lost: true };
        persisted = t.state.step;
      }
      state = t.state;
      if (t.stop) {
        if (state.step === "done") this.settled(change, state);
        return { state, lost: false };
      }
    }
  }

  private settled(c: ChangeRow, s: ChangeState): void {
    this.log.info(
      { booking_id: c.bookingId, change_id: c.id, status: s.status, error: s.failure?.error },
      "change settled",
    );
  }
}
