import { type FlightRecord, isoMinutes } from "./flight-record.js";
import type { Selection } from "./select.js";

/** The flight's JSON without its closing brace, ending where the live seat count goes. */
function flightJson(f: FlightRecord): string {
  if (f.json === null) {
    const body = JSON.stringify({
      id: f.id,
      flight_number: f.flightNumber,
      airline: f.airline,
      source: f.source,
      destination: f.destination,
      departure_time: isoMinutes(f.dep),
      arrival_time: isoMinutes(f.arr),
      total_seats: f.totalSeats,
      booked_seats: f.bookedSeats,
      price: f.priceCents / 100,
      status: f.status,
    });
    f.json = `${body.slice(0, -1)},"available_seats":`;
  }
  return f.json;
}

/**
 * The search response `{paths, count}` as JSON text (SearchResponse in schemas.ts), with the
 * newline every body ends with (lib/json-newline.ts) already in place rather than appended to
 * the finished text. Cached searches are served at a rate where building and serialising ~50
 * flight objects per answer was most of the work; each flight's JSON is built once and only its
 * seats are added here.
 */
export function searchJson(selection: Selection): string {
  const paths: string[] = [];
  for (const it of selection.itineraries) {
    let free = Number.MAX_SAFE_INTEGER;
    const flights: string[] = [];
    for (const f of it.legs) {
      const seats = selection.available.get(f.id) ?? 0;
      if (seats < free) free = seats;
      flights.push(`${flightJson(f)}${seats}}`);
    }
    paths.push(
      `{"flights":[${flights.join(",")}],"total_price":${it.price / 100},"total_time_minutes":${it.duration},"stops":${
        it.legs.length - 1
      },"available_seats":${free}}`,
    );
  }
  return `{"paths":[${paths.join(",")}],"count":${paths.length}}\n`;
}
