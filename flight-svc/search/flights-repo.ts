import { AppError, validationError } from "../../lib/errors.js";
import type { Sql } from "../../lib/postgres-plugin.js";
import type { FlightRow } from "./flight-record.js";
import { FLIGHT_COLUMNS } from "./schedule-store.js";
import type { FlightCreate, FlightPatch } from "./schemas.js";
import { parseTime } from "./time-input.js";

const columns = (sql: Sql) => sql.unsafe(FLIGHT_COLUMNS);

function checkOrder(departure: Date, arrival: Date): void {
  if (arrival <= departure) throw validationError("arrival_time", "arrival_time must be after departure_time");
}

export async function findFlight(sql: Sql, id: number): Promise<FlightRow | null> {
  const [row] = await sql<FlightRow[]>`SELECT ${columns(sql)} FROM flights WHERE id = ${id}`;
  return row ?? null;
}

export async function insertFlight(sql: Sql, body: FlightCreate): Promise<FlightRow> {
  const source = body.source.toUpperCase();
  const destination = body.destination.toUpperCase();
  if (source === destination) throw validationError("destination", "destination must differ from source");
  const departure = parseTime("departure_time", body.departure_time);
  const arrival = parseTime("arrival_time", body.arrival_time);
  checkOrder(departure, arrival);
  const values = {
    flight_number: body.flight_number.toUpperCase(),
    airline: body.airline ?? "",
    source,
    destination,
    departure_time: departure,
    arrival_time: arrival,
    total_seats: body.total_seats,
    booked_seats: 0,
    price: body.price,
    status: body.status ?? "scheduled",
  };
  const [row] = await sql<FlightRow[]>`INSERT INTO flights ${sql(values)} RETURNING ${columns(sql)}`;
  return row as FlightRow;
}

/**
 * Changes a flight under its row lock. A new total_seats moves the Redis counter first (which
 * refuses if held and booked seats would not fit), and moves it back if PostgreSQL then fails.
 */
export async function updateFlight(
  sql: Sql,
  id: number,
  patch: FlightPatch,
  adjustTotalSeats: (id: number, delta: number) => Promise<void>,
): Promise<FlightRow> {
  const departure = patch.departure_time === undefined ? null : parseTime("departure_time", patch.departure_time);
  const arrival = patch.arrival_time === undefined ? null : parseTime("arrival_time", patch.arrival_time);
  let adjusted = 0;
  try {
    return await sql.begin(async (tx) => {
      const [current] = await tx<FlightRow[]>`SELECT ${columns(sql)} FROM flights WHERE id = ${id} FOR UPDATE`;
      if (!current) throw new AppError("flight_not_found", undefined, { flight_id: id });
      checkOrder(departure ?? current.departure_time, arrival ?? current.arrival_time);
      const changes: Record<string, unknown> = {};
      if (patch.price !== undefined) changes.price = patch.price;
      if (departure) changes.departure_time = departure;
      if (arrival) changes.arrival_time = arrival;
      if (patch.status !== undefined) changes.status = patch.status;
      if (patch.total_seats !== undefined) {
        if (patch.total_seats < current.booked_seats) {
          throw new AppError(
            "conflict",
            `total_seats ${patch.total_seats} is below the ${current.booked_seats} seats already booked.`,
            { field: "total_seats", booked_seats: current.booked_seats },
          );
        }
        const delta = patch.total_seats - current.total_seats;
        if (delta !== 0) {
          await adjustTotalSeats(id, delta);
          adjusted = delta;
        }
        changes.total_seats = patch.total_seats;
      }
      const [row] = await tx<FlightRow[]>`
        UPDATE flights SET ${tx(changes)}, updated_at = now() WHERE id = ${id} RETURNING ${columns(sql)}`;
      return row as FlightRow;
    });
  } catch (err) {
    if (adjusted !== 0) await adjustTotalSeats(id, -adjusted);
    throw err;
  }
}
