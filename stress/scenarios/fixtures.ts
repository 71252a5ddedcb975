import type { Flight } from "../../contracts/flight-svc/flights.js";
import type { ScenarioFlight } from "../invariants/evaluate.js";
import type { ScenarioEnv } from "./types.js";

// Scenarios make their own flights through POST /api/flights, on a date a month ahead, so
// that their seats and bookings can be accounted for exactly and the demo data stays as it is.

export interface FlightPlan {
  source: string;
  destination: string;
  /** Minutes after midnight UTC of the scenario's day; past a day's worth, a later day. */
  departs: number;
  minutes: number;
  totalSeats: number;
  /** Seats left free; the rest are booked up front (seats/decrement, no booking). */
  freeSeats: number;
  price: number;
}

export interface CreatedFlight extends ScenarioFlight {
  /** The UTC date it departs on, which its bookings and seat changes name. */
  date: string;
  source: string;
  destination: string;
  price: number;
}

/** Booked up front in steps of at most what one decrement accepts. */
const PREFILL_STEP = 1_000;

export function scenarioDate(daysAhead = 30, now = new Date()): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + daysAhead));
  return d.toISOString().slice(0, 10);
}

const iso = (date: string, minutes: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + minutes * 60_000).toISOString().replace(".000Z", "Z");

export async function createFlights(env: ScenarioEnv, date: string, plans: FlightPlan[]): Promise<CreatedFlight[]> {
  const out: CreatedFlight[] = [];
  for (const [i, p] of plans.entries()) {
    const departure = iso(date, p.departs);
    // A flight past the day's end departs, and is booked, on a later date.
    const departsOn = departure.slice(0, 10);
    const flight: Flight = await env.services.createFlight({
      flight_number: `SK${(env.tag * 250 + i) % 100_000}`,
      source: p.source,
      destination: p.destination,
      departure_time: departure,
      arrival_time: iso(date, p.departs + p.minutes),
      total_seats: p.totalSeats,
      price: p.price,
    });
    let prefilled = 0;
    while (prefilled < p.totalSeats - p.freeSeats) {
      const seats = Math.min(PREFILL_STEP, p.totalSeats - p.freeSeats - prefilled);
      await env.services.decrementSeats(flight.id, seats, departsOn);
      prefilled += seats;
    }
    out.push({
      id: flight.id,
      prefilled,
      date: departsOn,
      source: p.source,
      destination: p.destination,
      price: p.price,
    });
  }
  return out;
}
