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

const BATCH = 10_000;

/** Where a read of the flights starts: the database's clock and its last committed deletion's mark. */
export interface ReadMark {
  at: Date;
  deletions: string | null;
}

/** Taken before a read: a row committed after the mark was taken is seen by the next read. */
export async function readMark(sql: Sql): Promise<ReadMark> {
  const [mark] = await sql<ReadMark[]>`
    SELECT now() AS at, (SELECT mark::text FROM flight_deletions) AS deletions`;
  return mark as ReadMark;
}

/**
 * Reads flights for the index: all of them, or those changed since `since` (a time from the
 * database's clock). Streams in batches so a large schedule does not sit twice in memory.
 */
export async function readFlights(sql: Sql, since: Date | null, onRow: (input: FlightInput) => void): Promise<void> {
  const where = since ? sql`WHERE updated_at > ${since}` : sql``;
  await sql<FlightRow[]>`SELECT ${sql.unsafe(FLIGHT_COLUMNS)} FROM flights ${where}`.cursor(BATCH, (rows) => {
    for (const row of rows) onRow(inputOf(row));
  });
}
