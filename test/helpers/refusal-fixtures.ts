import type { Account } from "./auth.js";
import type { System } from "./system.js";

// What the bad-input tests need: valid bodies to break, and things a misread request could
// act on (a confirmed, charged booking; a live hold) so that a wrong acceptance shows as a change.

export const DATE = "2024-02-15";

/** A POST /api/flights body flight-svc accepts. */
export const newFlight = (over: Record<string, unknown> = {}) => ({
  flight_number: "SB900",
  source: "DEL",
  destination: "BOM",
  departure_time: "2024-02-16T08:00:00Z",
  arrival_time: "2024-02-16T10:00:00Z",
  total_seats: 100,
  price: 5000,
  ...over,
});

/**
 * Booking 1 (the customer's, flight 1, confirmed and paid) and hold "kept-hold" (flight 3, held
 * with the service token); the booking's payment id.
 */
export async function seedTargets(
  sys: System,
  as: { customer: Account; service: Account },
): Promise<{ paymentId: string }> {
  const booking = { user_id: as.customer.userId, flight_id: 1, seats: 1, date: DATE };
  const booked = await sys.bookingCall("POST", "/api/bookings", booking, as.customer.headers);
  if (booked.status !== 200) throw new Error(`setup booking: ${JSON.stringify(booked.body)}`);
  const hold = { flight_ids: [3], seats: 1, hold_id: "kept-hold" };
  const held = await sys.flightCall("POST", "/api/flights/holds", hold, as.service.headers);
  if (held.status !== 201) throw new Error(`setup hold: ${JSON.stringify(held.body)}`);
  return { paymentId: booked.body.payment_id };
}
