import fc from "fast-check";
import t from "tap";
import {
  type Action,
  actionFor,
  initialState,
  type Mode,
  next,
  recover,
  type SagaEvent,
  type SagaState,
} from "../../../booking-svc/saga/machine.js";

// A model of the outside world the saga acts on, and random answers to every action, including
// lost answers whose effect did or did not happen, holds that expire, and a crash after any
// step (recovery takes over). Whatever happens, a settled booking must be consistent with the
// world: confirmed = paid, seats booked, not refunded; failed = no seats, no money kept.

interface World {
  held: boolean;
  booked: boolean;
  paid: boolean;
  refunded: boolean;
}

function perform(action: Action, w: World, roll: number, mode: Mode): SagaEvent {
  const lost = roll < 0.15;
  const effect = roll < 0.08 || roll >= 0.15;
  const unavailable: SagaEvent = { type: "unavailable", reason: "lost answer" };
  switch (action) {
    case "hold":
      if (roll > 0.9) return { type: "hold_refused", failure: { error: "not_enough_seats", message: "full" } };
      if (effect) w.held = true;
      return lost ? unavailable : { type: "held" };
    case "pay":
      if (roll > 0.85)
        return { type: "declined", paymentId: "p", failure: { error: "payment_declined", message: "no" } };
      if (roll > 0.75) return { type: "not_charged", failure: { error: "payment_not_completed", message: "no" } };
      if (effect) w.paid = true;
      return lost ? unavailable : { type: "paid", paymentId: "p" };
    case "lookup_payment":
      if (lost && mode === "recover" && roll < 0.05) return unavailable;
      return w.paid
        ? { type: "paid", paymentId: "p" }
        : { type: "not_charged", failure: { error: "payment_not_completed", message: "no" } };
    case "confirm":
      if (lost && !effect) return unavailable;
      if (!w.held && !w.booked) return { type: "seats_gone", failure: { error: "hold_expired", message: "gone" } };
      w.held = false;
      w.booked = true;
      return lost ? unavailable : { type: "seats_confirmed" };
    case "release":
    case "cancel_seats":
      if (lost && !effect) return unavailable;
      w.held = false;
      w.booked = false;
      return lost ? unavailable : { type: "released" };
    case "refund":
      if (lost && !effect) return unavailable;
      if (w.paid) w.refunded = true;
      return lost ? unavailable : { type: "refunded", refundId: w.paid ? "r" : null };
  }
}

/** Runs the saga until it stops; `crashAfter` actions in, the process dies (returns undefined). */
function run(state: SagaState, w: World, rolls: number[], mode: Mode, crashAfter: number, expire: number) {
  let s = mode === "recover" ? recover(state) : state;
  let persisted = s;
  for (let i = 0; i < 40; i++) {
    if (i === crashAfter) return { state: persisted, crashed: true };
    const action = actionFor(s.step, mode);
    if (!action) return { state: s, crashed: false };
    if (i === expire && !w.booked) w.held = false;
    const tr = next(s, perform(action, w, rolls[i % rolls.length] as number, mode));
    s = tr.state;
    if (tr.persist || tr.stop) persisted = s;
    if (tr.stop) return { state: s, crashed: false };
  }
  throw new Error("the saga did not stop");
}

t.test("whatever answers, losses, expiries and crashes: a settled booking matches the world", async (t) => {
  fc.assert(
    fc.property(
      // Integers, not fc.double: fast-check biases doubles towards the bounds.
      fc.array(
        fc.integer({ min: 0, max: 999 }).map((n) => n / 1000),
        { minLength: 8, maxLength: 8 },
      ),
      fc.integer({ min: 0, max: 8 }),
      fc.integer({ min: 0, max: 10 }),
      (rolls, crashAfter, expire) => {
        const w: World = { held: false, booked: false, paid: false, refunded: false };
        let { state } = run(initialState(), w, rolls, "live", crashAfter, expire);
        // The sweeper retries until the saga is done; upstreams eventually answer.
        for (let round = 0; state.step !== "done"; round++) {
          if (round > 20) throw new Error("recovery did not finish");
          const calm = rolls.map((r) => (round > 3 ? 0.5 + r / 2 : r));
          state = run(state, w, calm, "recover", 99, 99).state;
        }
        if (state.status === "confirmed") {
          t.ok(w.paid && w.booked && !w.refunded, "confirmed: paid, booked, kept");
          t.equal(state.paymentId, "p");
        } else {
          t.equal(state.status, "failed");
          t.ok(!w.booked && !w.held, "failed: no seat held or booked");
          t.ok(!w.paid || w.refunded, "failed: no money kept");
        }
      },
    ),
    { numRuns: 1000 },
  );
});
