import type { InvariantResult } from "../report/types.js";
import { type ChangeObservations, changedMoneyBalance, changesAllOrNothing } from "./changes.js";
import type { Observations } from "./observations.js";
import { idempotentRetries, noBookingWithoutPayment, noPaymentWithoutBooking, paymentsBalance } from "./payments.js";
import { bookedMatchesBookings, countersMatch, no5xx, noOversell, nothingPending, reconcileClean } from "./seats.js";

export type { Observations, ScenarioFlight } from "./observations.js";

/**
 * Every invariant, in the order the report prints them. With `changes` (a scenario that changed
 * bookings' flights) the money checks are the changes' own.
 */
export function evaluate(o: Observations, changes?: ChangeObservations): InvariantResult[] {
  const seats = [
    no5xx(o.phases),
    nothingPending(o),
    noOversell(o),
    bookedMatchesBookings(o),
    countersMatch(o),
    reconcileClean(o),
  ];
  const money = changes
    ? [changesAllOrNothing(o, changes), changedMoneyBalance(o, changes)]
    : [paymentsBalance(o), noBookingWithoutPayment(o), noPaymentWithoutBooking(o)];
  const out = [...seats, ...money];
  if (o.idempotency) out.push(idempotentRetries(o.idempotency));
  return out;
}
