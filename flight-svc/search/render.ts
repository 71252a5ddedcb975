import { type FlightRecord, type FlightRow, isoMinutes } from "./flight-record.js";
import type { Itinerary } from "./itinerary.js";
import type { Flight, SearchPath } from "./schemas.js";

export function flightOfRecord(f: FlightRecord, available: number): Flight {
  return {
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
    available_seats: available,
  };
}

const iso = (d: Date) => d.toISOString().replace(/\.000Z$/, "Z");

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

export function pathOf(it: Itinerary, available: ReadonlyMap<number, number>): SearchPath {
  let free = Number.MAX_SAFE_INTEGER;
  const flights = it.legs.map((f) => {
    const seats = available.get(f.id) ?? 0;
    free = Math.min(free, seats);
    return flightOfRecord(f, seats);
  });
  return {
    flights,
    total_price: it.price / 100,
    total_time_minutes: it.duration,
    stops: it.legs.length - 1,
    available_seats: free,
  };
}
