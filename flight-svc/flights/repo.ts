import type postgres from "postgres";
import type { Sql } from "../../lib/postgres-plugin.js";
import type { FlightRow } from "../search/flight-record.js";
import { FLIGHT_COLUMNS } from "../search/schedule-store.js";
import { lockCabin } from "../seating/cabin-lock.js";
import { flightEventOf } from "./flight-event.js";

// The flights table: rows in, rows out. Which changes are allowed is decided by the flights
// service; nothing here knows about HTTP or the error catalogue.

const columns = (sql: Sql) => sql.unsafe(FLIGHT_COLUMNS);

export type NewFlight = Omit<FlightRow, "id" | "booked_seats">;

export type FlightChanges = Partial<
  Pick<NewFlight, "price" | "departure_time" | "arrival_time" | "status" | "total_seats">
>;

/** The seats passengers of a flight have checked in to (seat_assignments, migration 005). */
export async function assignedSeats(tx: postgres.TransactionSql, id: number): Promise<string[]> {
  const rows = await tx<{ seat: string }[]>`SELECT seat FROM seat_assignments WHERE flight_id = ${id} ORDER BY seat`;
  return rows.map((r) => r.seat);
}

export async function findFlight(sql: Sql, id: number): Promise<FlightRow | null> {
  const [row] = await sql<FlightRow[]>`SELECT ${columns(sql)} FROM flights WHERE id = ${id}`;
  return row ?? null;
}

/** `sql` may be a transaction's: a keyed create inserts its flight beside its key (keyed-insert.ts). */
export async function insertFlight(sql: Sql | postgres.TransactionSql, flight: NewFlight): Promise<FlightRow> {
  const [row] = await sql<FlightRow[]>`
    INSERT INTO flights ${sql({ ...flight, booked_seats: 0 })} RETURNING ${sql.unsafe(FLIGHT_COLUMNS)}`;
  return row as FlightRow;
}

/**
 * Changes a flight under its row lock: `decide` sees the locked row (and may read more in the
 * same transaction) and returns the changes to write (or throws, which rolls back). Null when
 * there is no such flight. A change travellers care about (status, times) puts its event in the
 * outbox in the same transaction. `cabin`: the change may set total_seats, so it first waits for
 * the flight's check-ins and keeps new ones out until it commits (seating/cabin-lock.ts).
 */
export async function changeFlight(
  sql: Sql,
  id: number,
  opts: { cabin: boolean },
  decide: (current: FlightRow, tx: postgres.TransactionSql) => Promise<FlightChanges>,
): Promise<FlightRow | null> {
  return sql.begin(async (tx) => {
    if (opts.cabin) await lockCabin(tx, id);
    const [current] = await tx<FlightRow[]>`SELECT ${columns(sql)} FROM flights WHERE id = ${id} FOR NO KEY UPDATE`;
    if (!current) return null;
    const changes = await decide(current, tx);
    const [row] = await tx<FlightRow[]>`
      UPDATE flights SET ${tx({ ...changes })}, updated_at = now() WHERE id = ${id} RETURNING ${columns(sql)}`;
    const event = flightEventOf(current, row as FlightRow);
    if (event) {
      await tx`INSERT INTO flight_event_outbox (flight_id, kind, before, after)
        VALUES (${id}, ${event.kind}, ${tx.json(event.before as never)}, ${tx.json(event.after as never)})`;
    }
    return row as FlightRow;
  });
}
