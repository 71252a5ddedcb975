import type { Validation } from "../../contracts/flight-svc/flights.js";
import type { InventoryContext } from "./context.js";

/** The original's pre-booking check: never an error, `valid:false` with the reason instead. */
export async function validateFlight(
  ctx: InventoryContext,
  flightId: number,
  seats: number,
  date: string,
): Promise<Validation> {
  const [meta] = await ctx.meta.get([flightId]);
  if (!meta) {
    return { valid: false, message: "Flight not found.", price: 0, available_seats: 0, flight_id: flightId };
  }
  const [available] = await ctx.counters.availableSeats([flightId]);
  const base = { price: meta.price, available_seats: available ?? 0, flight_id: flightId };
  if (meta.status === "cancelled") return { valid: false, message: "The flight is cancelled.", ...base };
  if (meta.departureDate !== date) {
    return { valid: false, message: `The flight departs on ${meta.departureDate}, not ${date}.`, ...base };
  }
  if (base.available_seats < seats) {
    return { valid: false, message: `Only ${base.available_seats} seats are available.`, ...base };
  }
  return { valid: true, message: "The flight is available.", ...base };
}
