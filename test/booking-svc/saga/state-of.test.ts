import t from "tap";
import { initialState, type SagaState } from "../../../booking-svc/saga/machine.js";
import { stateOf } from "../../../booking-svc/saga/state-of.js";
import type { BookingRow } from "../../../booking-svc/store/bookings-repo.js";

/** The columns BookingsRepo.save writes for a state, on an otherwise fixed row. */
function rowFor(s: SagaState): BookingRow {
  const at = new Date("2024-02-01T00:00:00Z");
  return {
    id: 1,
    userId: 1,
    seats: 1,
    travelDate: "2024-02-15",
    paymentType: "upi",
    totalAmount: 100,
    bookedAmount: 100,
    status: s.status,
    step: s.step,
    errorCode: s.failure?.error ?? null,
    errorField: s.failure?.field ?? null,
    failureMessage: s.failure?.message ?? null,
    holdId: "bk-1",
    holdNonce: null,
    paymentKey: "booking-1",
    paymentId: s.paymentId,
    refundId: s.refundId,
    refundRefused: s.refundRefused,
    idempotencyKey: null,
    requestHash: null,
    requestId: null,
    passengers: [],
    leaseUntil: at,
    attempts: 0,
    createdAt: at,
    updatedAt: at,
    confirmedAt: null,
    cancelledAt: null,
    cancelReason: null,
    connectionAtRisk: false,
    flownAt: null,
    changing: null,
  };
}

t.test("a row rebuilds the state that was saved into it, failure text and field included", async (t) => {
  const states: SagaState[] = [
    initialState(),
    { ...initialState(), step: "confirm", paymentId: "pay_1" },
    {
      step: "release",
      status: "pending",
      paymentId: null,
      refundId: null,
      refundRefused: null,
      failure: { error: "payment_not_completed", message: "m" },
    },
    {
      step: "done",
      status: "failed",
      paymentId: null,
      refundId: null,
      refundRefused: null,
      failure: { error: "validation_error", message: "bad", field: "date" },
    },
    { step: "done", status: "cancelled", paymentId: "pay_2", refundId: "ref_2", refundRefused: null, failure: null },
    {
      step: "done",
      status: "cancelled",
      paymentId: "pay_3",
      refundId: null,
      refundRefused: "the payment provider does not know payment pay_3",
      failure: null,
    },
  ];
  for (const s of states) t.same(stateOf(rowFor(s)), s, `${s.status}/${s.step}`);
});
