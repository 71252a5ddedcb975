import t from "tap";
import {
  actionFor,
  type Failure,
  initialState,
  next,
  recover,
  type SagaEvent,
  type SagaState,
} from "../../../booking-svc/saga/machine.js";

const declined: Failure = { error: "payment_declined", message: "The payment was declined (insufficient_funds)." };
const notCharged: Failure = { error: "payment_not_completed", message: "nothing charged" };
const gone: Failure = { error: "hold_expired", message: "seats gone" };

/** Feeds events from the start and returns every transition's (step, persist, stop). */
function walk(events: SagaEvent[], from: SagaState = initialState()) {
  let state = from;
  const trail: string[] = [];
  for (const e of events) {
    const tr = next(state, e);
    state = tr.state;
    trail.push(`${state.step}${tr.persist ? "" : "~"}${tr.stop ? "!" : ""}`);
  }
  return { state, trail };
}

t.test("success: hold, pay, confirm; only the settled booking is written", async (t) => {
  const { state, trail } = walk([{ type: "held" }, { type: "paid", paymentId: "pay_1" }, { type: "seats_confirmed" }]);
  t.same(trail, ["pay~", "confirm~", "done!"]);
  t.same(state, {
    step: "done",
    status: "confirmed",
    paymentId: "pay_1",
    refundId: null,
    refundRefused: null,
    failure: null,
  });
});

t.test("decline: the hold is released and the booking fails with the reason", async (t) => {
  const { state, trail } = walk([
    { type: "held" },
    { type: "declined", paymentId: "pay_2", failure: declined },
    { type: "released" },
  ]);
  t.same(trail, ["pay~", "release", "done!"]);
  t.same(state, {
    step: "done",
    status: "failed",
    paymentId: "pay_2",
    refundId: null,
    refundRefused: null,
    failure: declined,
  });
});

t.test("timeout without a charge: released, failed as not completed", async (t) => {
  const { state } = walk([{ type: "held" }, { type: "not_charged", failure: notCharged }, { type: "released" }]);
  t.equal(state.status, "failed");
  t.same(state.failure, notCharged);
});

t.test("paid but the seats are gone: refund, then failed", async (t) => {
  const { state, trail } = walk([
    { type: "held" },
    { type: "paid", paymentId: "pay_3" },
    { type: "seats_gone", failure: gone },
    { type: "refunded", refundId: "ref_1" },
  ]);
  t.same(trail, ["pay~", "confirm~", "refund", "done!"]);
  t.same(state, {
    step: "done",
    status: "failed",
    paymentId: "pay_3",
    refundId: "ref_1",
    refundRefused: null,
    failure: gone,
  });
});

t.test("refused hold: failed at once, nothing to compensate", async (t) => {
  const f: Failure = { error: "not_enough_seats", message: "no seats" };
  const { state, trail } = walk([{ type: "hold_refused", failure: f }]);
  t.same(trail, ["done!"]);
  t.equal(state.status, "failed");
});

t.test("an unknown hold outcome is compensated by releasing", async (t) => {
  const { state, trail } = walk([{ type: "unavailable", reason: "timeout" }, { type: "released" }]);
  t.same(trail, ["release", "done!"]);
  t.equal(state.failure?.error, "service_unavailable");
  t.equal(state.failure?.message, "The flight service did not answer; nothing was charged.");
  const failed = walk([
    { type: "unavailable", reason: "500", what: "The flight service failed (HTTP 500)" },
    { type: "released" },
  ]);
  t.equal(failed.state.failure?.message, "The flight service failed (HTTP 500); nothing was charged.");
});

t.test("an unknown outcome after the hold keeps the step: pending until someone retries it", async (t) => {
  for (const events of [
    [{ type: "held" }],
    [{ type: "held" }, { type: "paid", paymentId: "p" }],
    [{ type: "held" }, { type: "declined", paymentId: null, failure: declined }],
    [{ type: "held" }, { type: "paid", paymentId: "p" }, { type: "seats_gone", failure: gone }],
  ] as SagaEvent[][]) {
    const before = walk(events).state;
    const tr = next(before, { type: "unavailable", reason: "down" });
    t.same(tr.state, before);
    t.ok(tr.stop);
    t.equal(tr.state.status, "pending");
  }
});

t.test("cancellation: release the booked seats, then refund", async (t) => {
  const confirmed = walk([{ type: "held" }, { type: "paid", paymentId: "p" }, { type: "seats_confirmed" }]).state;
  const { state, trail } = walk([{ type: "released" }, { type: "refunded", refundId: "r" }], {
    ...confirmed,
    step: "cancel",
  });
  t.same(trail, ["cancel_refund", "done!"]);
  t.same(state, {
    step: "done",
    status: "cancelled",
    paymentId: "p",
    refundId: "r",
    refundRefused: null,
    failure: null,
  });
});

t.test("a refund the provider refused settles the booking all the same, keeping why", async (t) => {
  const why = "the payment provider does not know payment p";
  const confirmed = walk([{ type: "held" }, { type: "paid", paymentId: "p" }, { type: "seats_confirmed" }]).state;
  const cancelled = walk([{ type: "released" }, { type: "refunded", refundId: null, refused: why }], {
    ...confirmed,
    step: "cancel",
  });
  t.same(cancelled.trail, ["cancel_refund", "done!"]);
  t.match(cancelled.state, { status: "cancelled", refundId: null, refundRefused: why, failure: null });
  const reworded = { error: "hold_expired" as const, message: "seats gone; the payment was not refunded: why." };
  const failed = walk([
    { type: "held" },
    { type: "paid", paymentId: "p" },
    { type: "seats_gone", failure: gone },
    { type: "refunded", refundId: null, refused: why, failure: reworded },
  ]);
  t.match(failed.state, { step: "done", status: "failed", refundId: null, refundRefused: why, failure: reworded });
});

t.test("actions: live pays, recovery only looks the payment up and never holds", async (t) => {
  t.equal(actionFor("hold", "live"), "hold");
  t.equal(actionFor("hold", "recover"), null);
  t.equal(actionFor("pay", "live"), "pay");
  t.equal(actionFor("pay", "recover"), "lookup_payment");
  t.equal(actionFor("confirm", "recover"), "confirm");
  t.equal(actionFor("refund", "live"), "refund");
  t.equal(actionFor("cancel", "live"), "cancel_seats");
  t.equal(actionFor("cancel_refund", "recover"), "refund");
  t.equal(actionFor("done", "live"), null);
});

t.test("recover: a booking still at hold may have been paid: it is recovered as pay", async (t) => {
  t.same(recover(initialState()), { ...initialState(), step: "pay" });
  t.equal(actionFor(recover(initialState()).step, "recover"), "lookup_payment");
  const paying = { ...initialState(), step: "pay" as const };
  t.equal(recover(paying), paying);
});

t.test("an event that cannot happen in a step is a bug, not a transition", async (t) => {
  t.throws(() => next(initialState(), { type: "seats_confirmed" }), { name: "UnexpectedEvent" });
  t.throws(() => next({ ...initialState(), step: "done", status: "confirmed" }, { type: "released" }), {
    name: "UnexpectedEvent",
  });
});
