import type { FlightRow } from "../../flight-svc/data/flight-row.js";
import { SAMPLE_FLIGHTS } from "../../flight-svc/data/sample-flights.js";
import { buildNetwork } from "./network.js";
import { mix, Rng } from "./random.js";
import { buildTimetable } from "./timetable.js";

export type { FlightRow } from "../../flight-svc/data/flight-row.js";
export { loadFlights } from "../../flight-svc/data/load-flights.js";
export { SAMPLE_FLIGHTS } from "../../flight-svc/data/sample-flights.js";

export interface ScheduleOptions {
  seed: number;
  flightsPerDay: number;
  days: number;
  /** YYYY-MM-DD: the first day of the generated schedule (UTC). */
  startDate: string;
}

/** More rows than this would not fit in memory comfortably; the bench size is 100,000. */
export const MAX_GENERATED_FLIGHTS = 5_000_000;
const STREAM_DAYS = 3;
const DAY_MS = 86_400_000;

/** Fare from distance: a fixed part plus a rate per kilometre that falls on long routes. */
export function baseFare(km: number): number {
  return km < 2_000 ? 2_000 + 6 * km : 14_000 + 4 * (km - 2_000);
}

/** Share of seats already sold: mostly light to moderate, a few flights nearly or fully sold out. */
function loadFactor(rng: Rng): number {
  return rng.next() < 0.03 ? rng.range(0.95, 1.0001) : rng.range(0, 0.6);
}

/**
 * The demo schedule of a seed: the original's sample (ids 1–16) followed by `flightsPerDay`
 * generated flights on each of `days` days from `startDate`, each day's sorted by departure
 * time. The same options always give the same rows.
 */
export function generateSchedule(opts: ScheduleOptions): FlightRow[] {
  const { seed, flightsPerDay, days, startDate } = opts;
  const start = Date.parse(`${startDate}T00:00:00Z`);
  if (!Number.isInteger(seed) || !Number.isInteger(flightsPerDay) || !Number.isInteger(days)) {
    throw new RangeError("seed, flightsPerDay and days must be integers");
  }
  if (flightsPerDay < 0 || days < 1) throw new RangeError("expected flightsPerDay ≥ 0 and days ≥ 1");
  if (flightsPerDay * days > MAX_GENERATED_FLIGHTS) {
    throw new RangeError(`flightsPerDay × days must be at most ${MAX_GENERATED_FLIGHTS}`);
  }
  if (Number.isNaN(start)) throw new RangeError(`startDate ${startDate}: expected YYYY-MM-DD`);

  const rows: FlightRow[] = SAMPLE_FLIGHTS.map((f) => ({
    ...f,
    departure_time: new Date(f.departure_time),
    arrival_time: new Date(f.arrival_time),
  }));
  if (flightsPerDay === 0) return rows;
  const reserved = new Set(SAMPLE_FLIGHTS.map((f) => f.flight_number));
  const timetable = buildTimetable(buildNetwork(seed), flightsPerDay, seed, reserved);
  for (let day = 0; day < days; day++) {
    // One stream per day: a day's fares and bookings do not depend on how many days there are.
    const rng = new Rng(mix(seed, day), STREAM_DAYS);
    const dayStart = start + day * DAY_MS;
    for (const s of timetable) {
      const departure = dayStart + s.departureMinute * 60_000;
      rows.push({
        flight_number: s.flightNumber,
        airline: s.carrier.name,
        source: s.from.iata,
        destination: s.to.iata,
        departure_time: new Date(departure),
        arrival_time: new Date(departure + s.durationMinutes * 60_000),
        total_seats: s.seats,
        booked_seats: Math.min(s.seats, Math.floor(s.seats * loadFactor(rng))),
        price: Math.round(baseFare(s.km) * s.fareFactor * rng.range(0.9, 1.15) * 100) / 100,
        status: "scheduled",
      });
    }
  }
  return rows;
}
