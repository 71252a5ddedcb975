import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type postgres from "postgres";
import type { Sql } from "../../lib/postgres-plugin.js";
import type { FlightRow } from "./flight-row.js";

/**
 * append    load into whatever is there (fixed ids that exist already fail the whole load)
 * replace   empty the flights (and the seat ledger that refers to them) first, ids from 1 again
 * if-empty  load only when there is no flight; otherwise load nothing
 */
export type LoadMode = "append" | "replace" | "if-empty";

export interface LoadResult {
  /** Rows loaded: 0 when "if-empty" found flights. */
  loaded: number;
  /** Flights there were before (replaced by "replace", left alone by "if-empty"). */
  existing: number;
}

const COLUMNS =
  "flight_number, airline, source, destination, departure_time, arrival_time, total_seats, booked_seats, price, status";
const LINES_PER_CHUNK = 2_000;

/** COPY's text format: a backslash, tab or line break in a value must be escaped. */
function text(v: string): string {
  return /[\\\t\n\r]/.test(v)
    ? v.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r")
    : v;
}

function* chunks(rows: readonly FlightRow[], withId: boolean): Generator<string> {
  let chunk = "";
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    chunk += `${withId ? `${r.id}\t` : ""}${text(r.flight_number)}\t${text(r.airline)}\t${text(r.source)}\t${text(
      r.destination,
    )}\t${r.departure_time.toISOString()}\t${r.arrival_time.toISOString()}\t${r.total_seats}\t${r.booked_seats}\t${
      r.price
    }\t${r.status}\n`;
    if ((i + 1) % LINES_PER_CHUNK === 0) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk) yield chunk;
}

async function copy(tx: postgres.TransactionSql, rows: readonly FlightRow[], withId: boolean): Promise<void> {
  const columns = withId ? `id, ${COLUMNS}` : COLUMNS;
  const target = await tx.unsafe(`COPY flights (${columns}) FROM STDIN`).writable();
  await pipeline(Readable.from(chunks(rows, withId)), target);
}

/**
 * Loads flights with COPY in one transaction: the rows with a fixed id (the sample) first, then
 * the id sequence is moved past them, then the others take ids from the sequence in row order.
 */
export async function loadFlights(
  sql: Sql,
  rows: readonly FlightRow[],
  opts: { mode?: LoadMode } = {},
): Promise<LoadResult> {
  const mode = opts.mode ?? "append";
  const fixed = rows.filter((r) => r.id !== undefined);
  const numbered = rows.filter((r) => r.id === undefined);
  const result = await sql.begin(async (tx) => {
    // Loaders queue up on this lock, so "if-empty" loads once however many run at the same time.
    await tx`LOCK TABLE flights IN SHARE ROW EXCLUSIVE MODE`;
    const [count] = await tx<{ existing: number }[]>`SELECT count(*)::int AS existing FROM flights`;
    const existing = count!.existing;
    if (mode === "replace") {
      const [ledger] = await tx<{ name: string | null }[]>`SELECT to_regclass('seat_ledger')::text AS name`;
      await tx.unsafe(`TRUNCATE flights${ledger?.name ? ", seat_ledger" : ""} RESTART IDENTITY CASCADE`);
    } else if (mode === "if-empty" && existing > 0) {
      return { loaded: 0, existing };
    }
    if (fixed.length > 0) {
      await copy(tx, fixed, true);
      await tx`SELECT setval(pg_get_serial_sequence('flights', 'id'), (SELECT max(id) FROM flights))`;
    }
    if (numbered.length > 0) await copy(tx, numbered, false);
    return { loaded: rows.length, existing };
  });
  // Fresh statistics, so that the planner knows the table's new size right away.
  if (result.loaded > 0) await sql`ANALYZE flights`;
  return result;
}
