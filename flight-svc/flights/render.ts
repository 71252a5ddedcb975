import type { FlightRow } from "../search/flight-record.js";
import type { Flight } from "../search/schemas.js";

const iso = (d: Date) => d.toISOString().replace(/\.000Z$/, "Z");

/** A flights_db row as the API's Flight, beside the live seat count read for it. */
export function flightOfRow(row: FlightRow, available: number): Flight {
  return {
    id: Number(row.id),
    flight_number: row.flight_number,
    airline: row.airline,
    source: row.source,
    destination: row.destination,
    departure_time: iso(row.departure_time),
    arrival_time: iso(row.arrival_time),
    total_seats: row.total_seats,
    booked_seats: row.booked_seats,
    price: Number(row.price),
    status: row.status,
    available_seats: available,
  };
}
