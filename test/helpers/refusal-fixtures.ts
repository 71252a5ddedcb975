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

/** Booking 1 (user 7, flight 1, confirmed and paid) and hold "kept-hold" (flight 3); the booking's payment id. */
export async function seedTargets(sys: System): Promise<{ paymentId: string }> {
  const booked = await sys.bookingCall("POST", "/api/bookings", { user_id: 7, flight_id: 1, seats: 1, date: DATE });
  if (booked.status !== 200) throw new Error(`setup booking: ${JSON.stringify(booked.body)}`);
  const held = await sys.flightCall("POST", "/api/flights/holds", { flight_ids: [3], seats: 1, hold_id: "kept-hold" });
  if (held.status !== 201) throw new Error(`setup hold: ${JSON.stringify(held.body)}`);
  return { paymentId: booked.body.payment_id };
}
