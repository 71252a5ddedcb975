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

/** Where a read of the flights starts, as the database saw it when the read began. */
export interface ReadMark {
  at: Date;
  /**
   * The oldest transaction still running (an xid8, as text). A row committed after the mark
   * was written by it or by a newer transaction, so the next read need not take older rows.
   */
  running: string;
  deletions: string | null;
}

/** Taken before a read: a row committed after the mark was taken is seen by the next read. */
export async function readMark(sql: Sql): Promise<ReadMark> {
  const [mark] = await sql<ReadMark[]>`
    SELECT now() AS at, pg_snapshot_xmin(pg_current_snapshot())::text AS running,
           (SELECT mark::text FROM flight_deletions) AS deletions`;
  return mark as ReadMark;
}

/** Rows changed since `at` minus `overlapMs` by transactions no older than `running`. */
export interface ChangedSince {
  mark: ReadMark;
  overlapMs: number;
}

/**
 * One past the newest transaction id the statement can see (xid8, as `top`), joined once to the rows.
 * A row's `xmin` holds only the low 32 bits of its writer's id; its epoch is `top`'s unless
 * those bits are above `top`'s (written before the counter wrapped). A frozen row keeps its
 * `xmin` (PostgreSQL 9.4 and later).
 */
const NOW_XACT = "(SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS top) AS now_xact";
const ROW_XACT =
  "((top >> 32 << 32) + flights.xmin::text::bigint - CASE WHEN flights.xmin::text::bigint > top % 4294967296 THEN 4294967296 ELSE 0 END)";

/**
 * Reads flights for the index: all of them, or those `changed` since a mark. Streams in
 * batches so a large schedule does not sit twice in memory.
 */
export async function readFlights(
  sql: Sql,
  changed: ChangedSince | null,
  onRow: (input: FlightInput) => void,
): Promise<void> {
  // updated_at (a transaction's start) narrows the rows through its index; the writer's id then
  // drops those a previous read already saw, which after a bulk load is every one of them.
  const where = changed
    ? sql`CROSS JOIN ${sql.unsafe(NOW_XACT)}
          WHERE updated_at > ${new Date(changed.mark.at.getTime() - changed.overlapMs)}
            AND ${sql.unsafe(ROW_XACT)} >= ${changed.mark.running}::bigint`
    : sql``;
  await sql<FlightRow[]>`SELECT ${sql.unsafe(FLIGHT_COLUMNS)} FROM flights ${where}`.cursor(BATCH, (rows) => {
    for (const row of rows) onRow(inputOf(row));
  });
}
