import type { Sql } from "../../lib/postgres-plugin.js";

/** Confirmed ledger rows as booking-svc's confirms leave them: booking i holds `seats` on `legs`. */
export async function confirmBookings(sql: Sql, bookings: number[], legs: number[], seats = 1): Promise<void> {
  for (const b of bookings) {
    await sql`INSERT INTO seat_ledger (op_id, kind, flight_ids, seats, status)
              VALUES (${`bk-${b}`}, 'hold', ${legs}::bigint[], ${seats}, 'confirmed')`;
    await sql`UPDATE flights SET booked_seats = booked_seats + ${seats} WHERE id = ANY(${legs}::bigint[])`;
  }
}

export async function seatRows(sql: Sql, flightId: number): Promise<{ seat: string; owner: string }[]> {
  return sql<{ seat: string; owner: string }[]>`
    SELECT seat, booking_ref || ':' || passenger AS owner FROM seat_assignments WHERE flight_id = ${flightId} ORDER BY seat`;
}
