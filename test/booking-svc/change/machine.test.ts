import t from "tap";
import {
  type ChangeEvent,
  type ChangeState,
  changeActionFor,
  initialChangeState,
  nextChange,
  recoverChange,
  UnexpectedChangeEvent,
} from "../../../booking-svc/change/machine.js";

const failure = { error: "not_enough_seats" as const, message: "full" };

/** Feeds events from the start and returns the steps passed through. */
function walk(events: ChangeEvent[], from: ChangeState = initialChangeState()) {
  let s = from;
  const steps: string[] = [s.step];
  for (const e of events) {
    s = nextChange(s, e).state;
    steps.push(s.step);
  }
  return { steps, state: s };
}

t.test("a change that goes through: hold, pay, confirm, release the old legs, refund, swap", async (t) => {
  const { steps, state } = walk([
    { type: "held" },
    { type: "paid", paymentId: "pay_1" },
    { type: "seats_confirmed" },
    { type: "released" },
    { type: "refunded", refundIds: [] },
    { type: "swapped" },
  ]);
  t.same(steps, ["hold", "pay", "confirm", "release_old", "refund", "swap", "done"]);
  t.match(state, { status: "completed", paymentId: "pay_1", failure: null });
});

t.test("a refund the provider refused goes on to the swap, recorded", async (t) => {
  const unrefunded = { amount: 1750, reason: "the payment provider does not know payment pay_1" };
  const { steps, state } = walk([
    { type: "held" },
    { type: "paid", paymentId: null },
    { type: "seats_confirmed" },
    { type: "released" },
    { type: "refunded", refundIds: [], unrefunded },
    { type: "swapped" },
  ]);
  t.same(steps, ["hold", "pay", "confirm", "release_old", "refund", "swap", "done"]);
  t.match(state, { status: "completed", refundIds: [], unrefunded });
});

t.test("before the confirm every failure undoes; nothing is undone after it", async (t) => {
  t.match(walk([{ type: "hold_refused", failure }]).state, { step: "done", status: "failed", failure });
  const declined = walk([
    { type: "held" },
    { type: "not_charged", failure: { error: "payment_declined", message: "no" } },
  ]);
  t.same(declined.steps, ["hold", "pay", "undo_hold"]);
  const gone = walk([
    { type: "held" },
    { type: "paid", paymentId: "pay_2" },
    { type: "seats_gone", failure: { error: "hold_expired", message: "gone" } },
    { type: "refunded", refundIds: ["ref_1"] },
    { type: "released" },
  ]);
  t.same(gone.steps, ["hold", "pay", "confirm", "undo_charge", "undo_hold", "done"]);
  t.match(gone.state, { status: "failed", refundIds: ["ref_1"], failure: { error: "hold_expired" } });
  t.throws(
    () => nextChange({ ...initialChangeState(), step: "release_old" }, { type: "seats_gone", failure }),
    UnexpectedChangeEvent,
  );
});

t.test("no answer: an unknown hold is released at once, any later step waits in place", async (t) => {
  const unknown: ChangeEvent = { type: "unavailable", reason: "down" };
  t.match(nextChange(initialChangeState(), unknown), {
    state: {
      step: "undo_hold",
      failure: { message: "The flight service did not answer; the booking was not changed." },
    },
    stop: false,
  });
  t.match(nextChange(initialChangeState(), { ...unknown, what: "The flight service failed (HTTP 502)" }), {
    state: { failure: { message: "The flight service failed (HTTP 502); the booking was not changed." } },
  });
  for (const step of ["pay", "confirm", "release_old", "refund", "undo_charge", "undo_hold"] as const) {
    t.match(nextChange({ ...initialChangeState(), step }, unknown), { state: { step }, stop: true }, step);
  }
});

t.test("recovery releases an unknown hold and looks a charge up instead of charging", async (t) => {
  t.match(recoverChange(initialChangeState()), { step: "undo_hold", failure: { error: "payment_not_completed" } });
  t.equal(changeActionFor("pay", "recover"), "lookup_charge");
  t.equal(changeActionFor("pay", "live"), "charge");
  t.equal(changeActionFor("confirm", "recover"), "confirm_new");
  t.equal(changeActionFor("done", "live"), null);
});
