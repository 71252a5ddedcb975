import type { Sql } from "../../lib/postgres-plugin.js";

export interface CteQuery {
  source: string;
  destination: string;
  /** 00:00 UTC of the day the first leg departs. */
  from: Date;
  maxStops: number;
  limit: number;
  timeoutMs: number;
  rules: { minConnectionMinutes: number; maxLayoverMinutes: number };
}

/**
 * The search as one would write it in SQL: a recursive CTE that grows every chain of flights
 * from the source on the date (connection window, no airport twice, a seat free on every leg,
 * up to maxStops + 1 legs), then keeps the cheapest `limit` that end at the destination, in
 * the engine's order. Null when it runs past `timeoutMs`.
 */
export async function cheapestByCte(sql: Sql, q: CteQuery): Promise<{ ids: number[]; price: number }[] | null> {
  try {
    return await sql.begin(async (tx) => {
      await tx.unsafe(`SET LOCAL statement_timeout = ${Math.round(q.timeoutMs)}`);
      return tx<{ ids: number[]; price: number }[]>`
        WITH RECURSIVE paths AS (
          SELECT ARRAY[f.id::int] AS ids, ARRAY[f.source::text, f.destination::text] AS seen, f.destination,
                 f.arrival_time, f.departure_time AS first_departure, f.price::numeric AS price
          FROM flights f
          WHERE f.source = ${q.source} AND f.departure_time >= ${q.from}
            AND f.departure_time < ${q.from}::timestamptz + interval '1 day'
            AND f.status <> 'cancelled' AND f.total_seats - f.booked_seats >= 1
          UNION ALL
          SELECT p.ids || f.id::int, p.seen || f.destination::text, f.destination, f.arrival_time,
                 p.first_departure, p.price + f.price
          FROM paths p JOIN flights f ON f.source = p.destination
            AND f.departure_time >= p.arrival_time + make_interval(mins => ${q.rules.minConnectionMinutes})
            AND f.departure_time <= p.arrival_time + make_interval(mins => ${q.rules.maxLayoverMinutes})
          WHERE cardinality(p.ids) <= ${q.maxStops} AND p.destination <> ${q.destination}
            AND f.status <> 'cancelled' AND f.total_seats - f.booked_seats >= 1
            AND NOT (f.destination::text = ANY (p.seen))
        )
        SELECT ids, price::float8 AS price FROM paths WHERE destination = ${q.destination}
        ORDER BY price, arrival_time - first_departure, first_departure, ids
        LIMIT ${q.limit}`;
    });
  } catch (err) {
    if ((err as { code?: string }).code === "57014") return null;
    throw err;
  }
}
