import type { Sql } from "../../lib/postgres-plugin.js";
import { type FlightRow, type FlightStatus, toCents, toMinutes } from "./flight-record.js";
import type { FlightInput } from "./schedule-index.js";

export const FLIGHT_COLUMNS =
  "id::float8 AS id, flight_number, airline, source, destination, departure_time, arrival_time, total_seats, booked_seats, price, status";

export function inputOf(row: FlightRow): FlightInput {
  return {
    id: Number(row.id),
    flightNumber: row.flight_number,
    airline: row.airline,
    source: row.source,
    destination: row.destination,
    dep: toMinutes(row.departure_time),
    arr: toMinutes(row.arrival_time),
    priceCents: toCents(row.price),
    totalSeats: row.total_seats,
    bookedSeats: row.booked_seats,
    status: row.status as FlightStatus,
  };
}

type Row = FlightRow & { changed_at: Date };

const BATCH = 10_000;

/**
 * Reads flights for the index: all of them, or those changed since `since` (a time from the
 * database's clock). Streams in batches so a large schedule does not sit twice in memory.
 * Returns the latest updated_at seen, the mark for the next read.
 */
export async function readFlights(
  sql: Sql,
  since: Date | null,
  onRow: (input: FlightInput) => void,
): Promise<Date | null> {
  let latest = since;
  const where = since ? sql`WHERE updated_at > ${since}` : sql``;
  await sql<Row[]>`
    SELECT ${sql.unsafe(FLIGHT_COLUMNS)}, updated_at AS changed_at FROM flights ${where}`.cursor(BATCH, (rows) => {
    for (const row of rows) {
      onRow(inputOf(row));
      if (!latest || row.changed_at > latest) latest = row.changed_at;
    }
  });
  return latest;
}
