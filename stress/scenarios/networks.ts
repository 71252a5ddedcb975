import type { Itinerary } from "./booking-traffic.js";
import { type CreatedFlight, createFlights, type FlightPlan, scenarioDate } from "./fixtures.js";
import type { ScenarioEnv } from "./types.js";

// The small networks booking scenarios create: direct flights between two airports and a
// two-leg connection, so that multi-leg bookings (all legs or none) take part.

/** The airports of the stress networks: codes no real schedule uses, kept out of the search mix. */
export const STRESS_AIRPORTS = ["QSA", "QSB", "QSC", "QSD", "QSE", "QSF", "QSG"] as const;

export interface Network {
  flights: CreatedFlight[];
  itineraries: Itinerary[];
}

/**
 * `direct` flights QSA→QSB (alternating with QSC→QSD) and one connection QSE→QSF→QSG, each
 * with `totalSeats` of which `freeSeats` are left free. Bookable: every flight on its own and
 * the connection as one two-leg booking.
 */
export async function createNetwork(
  env: ScenarioEnv,
  direct: number,
  totalSeats: number,
  freeSeats: number,
): Promise<Network> {
  const plans: FlightPlan[] = [];
  for (let i = 0; i < direct; i++) {
    const [source, destination] = i % 2 === 0 ? ["QSA", "QSB"] : ["QSC", "QSD"];
    plans.push({
      source,
      destination,
      departs: 360 + i * 60,
      minutes: 95,
      totalSeats,
      freeSeats,
      price: 4500 + i * 250,
    });
  }
  plans.push({ source: "QSE", destination: "QSF", departs: 480, minutes: 70, totalSeats, freeSeats, price: 3200 });
  plans.push({ source: "QSF", destination: "QSG", departs: 630, minutes: 80, totalSeats, freeSeats, price: 2800 });
  const flights = await createFlights(env, scenarioDate(), plans);
  const itineraries: Itinerary[] = flights.map((f) => ({ flightIds: [f.id], date: f.date }));
  const [leg1, leg2] = flights.slice(-2) as [CreatedFlight, CreatedFlight];
  itineraries.push({ flightIds: [leg1.id, leg2.id], date: leg1.date });
  return { flights, itineraries };
}
