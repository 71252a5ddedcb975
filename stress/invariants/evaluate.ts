import type { InvariantResult } from "../report/types.js";
import type { Observations } from "./observations.js";
import { idempotentRetries, noBookingWithoutPayment, noPaymentWithoutBooking, paymentsBalance } from "./payments.js";
import { bookedMatchesBookings, countersMatch, no5xx, noOversell, nothingPending, reconcileClean } from "./seats.js";

export type { Observations, ScenarioFlight } from "./observations.js";

/** Every invariant, in the order the report prints them. */
export function evaluate(o: Observations): InvariantResult[] {
  const out = [
    no5xx(o.phases),
    nothingPending(o),
    noOversell(o),
    bookedMatchesBookings(o),
    countersMatch(o),
    reconcileClean(o),
    paymentsBalance(o),
    noBookingWithoutPayment(o),
    noPaymentWithoutBooking(o),
  ];
  if (o.idempotency) out.push(idempotentRetries(o.idempotency));
  return out;
}
