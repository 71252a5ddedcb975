import type { BookingRow } from "../store/bookings-repo.js";
import type { SagaState } from "./machine.js";

/** Rebuilds the saga's state from a row: the row alone is enough to resume a booking. */
export function stateOf(b: BookingRow): SagaState {
  return {
    step: b.step,
    status: b.status,
    paymentId: b.paymentId,
    refundId: b.refundId,
    refundRefused: b.refundRefused,
    failure:
      b.errorCode && b.failureMessage !== null
        ? { error: b.errorCode, message: b.failureMessage, ...(b.errorField ? { field: b.errorField } : {}) }
        : null,
  };
}
