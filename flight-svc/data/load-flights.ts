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

// COPY into a staging table of text columns, then INSERT ... SELECT with casts: COPY's speed,
// and any bad value or duplicate id fails as an ordinary query. (postgres.js 3.4 never settles
// a COPY FROM STDIN that the server rejects, porsager/postgres#1173, so the COPY itself must
// not be able to fail: text columns take any line of ours.)
const COLUMNS = [
  "flight_number",
  "airline",
  "source",
  "destination",
  "departure_time",
  "arrival_time",
  "total_seats",
  "booked_seats",
  "price",
  "status",
] as const;
const CASTS =
  "flight_number, airline, source, destination, departure_time::timestamptz, arrival_time::timestamptz, total_seats::int, booked_seats::int, price::numeric, status";
const LINES_PER_CHUNK = 2_000;

/** COPY's text format: backslashes, tabs and line breaks escaped; NUL cannot be stored at all. */
function text(v: string | number): string {
  if (typeof v === "number" && !Number.isFinite(v)) throw new RangeError(`a flight holds the number ${v}`);
  const s = String(v);
  if (s.includes("\0")) throw new RangeError(`a flight value holds a NUL character: ${JSON.stringify(s)}`);
  return /[\\\t\n\r]/.test(s)
    ? s.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r")
    : s;
}

function line(r: FlightRow): string {
  const values = [
    r.id === undefined ? "\\N" : text(r.id),
    text(r.flight_number),
    text(r.airline),
    text(r.source),
    text(r.destination),
    r.departure_time.toISOString(),
    r.arrival_time.toISOString(),
    text(r.total_seats),
    text(r.booked_seats),
    text(r.price),
    text(r.status),
  ];
  return `${values.join("\t")}\n`;
}

/** Formatted before COPY starts: a value that cannot be written throws here, not mid-COPY. */
function chunks(rows: readonly FlightRow[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < rows.length; i += LINES_PER_CHUNK) {
    out.push(
      rows
        .slice(i, i + LINES_PER_CHUNK)
        .map(line)
        .join(""),
    );
  }
  return out;
}

async function stage(tx: postgres.TransactionSql, data: string[]): Promise<void> {
  await tx.unsafe(
    `CREATE TEMP TABLE flights_load (seq bigserial, id text, ${COLUMNS.map((c) => `${c} text`).join(", ")}) ON COMMIT DROP`,
  );
  const target = await tx.unsafe(`COPY flights_load (id, ${COLUMNS.join(", ")}) FROM STDIN`).writable();
  await pipeline(Readable.from(data), target);
}

/**
 * Loads flights in one transaction: the rows with a fixed id (the sample) first, then the id
 * sequence is moved past them, then the others take ids from the sequence in row order.
 */
export async function loadFlights(
  sql: Sql,
  rows: readonly FlightRow[],
  opts: { mode?: LoadMode } = {},
): Promise<LoadResult> {
  const mode = opts.mode ?? "append";
  const data = chunks(rows);
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
    await stage(tx, data);
    if (rows.some((r) => r.id !== undefined)) {
      await tx.unsafe(`INSERT INTO flights (id, ${COLUMNS.join(", ")})
        SELECT id::bigint, ${CASTS} FROM flights_load WHERE id IS NOT NULL ORDER BY seq`);
      await tx`SELECT setval(pg_get_serial_sequence('flights', 'id'), (SELECT max(id) FROM flights))`;
    }
    await tx.unsafe(`INSERT INTO flights (${COLUMNS.join(", ")})
      SELECT ${CASTS} FROM flights_load WHERE id IS NULL ORDER BY seq`);
    return { loaded: rows.length, existing };
  });
  // Fresh statistics, so that the planner knows the table's new size right away.
  if (result.loaded > 0) await sql`ANALYZE flights`;
  return result;
}
