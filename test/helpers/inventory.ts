import type { FastifyInstance } from "fastify";
import { SERVICE_TOKEN_HEADER } from "../../contracts/flight-svc/holds.js";
import { buildApp } from "../../flight-svc/app.js";
import type { FlightConfig } from "../../flight-svc/config.js";
import type { Sql } from "../../lib/postgres-plugin.js";
import { testFlightConfig } from "./config.js";

export interface FlightSeed {
  total?: number;
  booked?: number;
  status?: "scheduled" | "delayed" | "cancelled";
  departure?: string;
  price?: number;
}

/** Inserts flights directly (ids 1, 2, … after a reset) and returns their ids. */
export async function seedFlights(sql: Sql, seeds: FlightSeed[]): Promise<number[]> {
  const ids: number[] = [];
  for (const [i, s] of seeds.entries()) {
    const dep = new Date(s.departure ?? "2024-02-15T08:00:00Z");
    const arr = new Date(dep.getTime() + 2 * 3600_000);
    const [row] = await sql<{ id: string }[]>`
      INSERT INTO flights (flight_number, airline, source, destination, departure_time, arrival_time,
                           total_seats, booked_seats, price, status)
      VALUES (${`TS${100 + i}`}, 'Test Air', 'DEL', 'BOM', ${dep}, ${arr}, ${s.total ?? 100}, ${s.booked ?? 0},
              ${s.price ?? 5000}, ${s.status ?? "scheduled"})
      RETURNING id`;
    ids.push(Number(row!.id));
  }
  return ids;
}

/** Empties what the inventory depends on: Redis, flights and the seat ledger. */
export async function resetInventory(app: FastifyInstance): Promise<void> {
  await app.redis.flushall();
  await app.sql`TRUNCATE flights, seat_ledger RESTART IDENTITY CASCADE`;
}

/** A flight-svc app on the test infrastructure, reset, closed on teardown. */
export async function inventoryApp(
  t: { teardown: (fn: () => unknown) => void },
  overrides: Record<string, string> = {},
): Promise<{ app: FastifyInstance; config: FlightConfig }> {
  const config = testFlightConfig(overrides);
  const app = await buildApp({ config });
  t.teardown(() => app.close());
  await app.ready();
  await resetInventory(app);
  return { app, config };
}

export async function bookedSeats(sql: Sql, id: number): Promise<number> {
  const [row] = await sql<{ booked_seats: number }[]>`SELECT booked_seats FROM flights WHERE id = ${id}`;
  return row!.booked_seats;
}

/** The header booking-svc sends, so a test may hold under booking-svc's reserved `bk-` ids. */
export const asBookingSvc = (config: FlightConfig) => ({ [SERVICE_TOKEN_HEADER]: config.serviceToken });
