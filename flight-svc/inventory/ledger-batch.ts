import type { Sql } from "../../lib/postgres-plugin.js";
import { type Op, type Ruling, rulingIn } from "./ledger.js";

/**
 * Books several operations, on any legs, in ONE statement, hence one transaction and one round
 * trip: every ledger row in one INSERT (ids in one order, so two instances writing the same ids
 * cannot deadlock), then the flights of the rows written now, locked in id order as every other
 * multi-leg write locks them, each moved once by its rows' seats. A row that already existed (a
 * retried confirm, one the sweeper settled first) books nothing. Each operation answers the
 * ruling that stands for its id, as Ledger.book does. Throws, having written nothing, when the
 * batch cannot be booked as a whole: a leg cancelled or missing (seat_batch_refused, migration
 * 008), too few seats on a flight for all of them (the CHECK booked_within_total).
 *
 * A plain statement rather than a PL/pgSQL function: the function (book_seats_many, migration
 * 007) planned its four statements on every call, lest a kept plan read the whole ledger, and cost
 * PostgreSQL about half as much again per batch as this statement with its plan kept
 * (docs/benchmarks.md). Kept plans are safe here: the ledger is only reached through its key (the
 * INSERT's arbiter), and the flights through theirs.
 */
export async function bookTogether(sql: Sql, ops: Op[]): Promise<Ruling[]> {
  // One row per id: a confirm retried while its first call waits in the same batch.
  const unique = [...new Map(ops.map((o) => [o.id, o])).values()];
  const written = await sql<{ op_id: string; hold_token: string }[]>`
    WITH written AS (
      INSERT INTO seat_ledger AS l (op_id, kind, flight_ids, seats, status, hold_token)
      SELECT o.id, o.kind, string_to_array(o.legs, ',')::bigint[], o.seats, 'confirmed', o.token
      FROM unnest(${unique.map((o) => o.id)}::text[], ${unique.map((o) => o.kind)}::text[],
        ${unique.map((o) => o.seats)}::int[], ${unique.map((o) => o.token ?? "")}::text[],
        ${unique.map((o) => o.legs.join(","))}::text[]) AS o(id, kind, seats, token, legs)
      ORDER BY o.id
      ON CONFLICT ON CONSTRAINT seat_ledger_pkey DO NOTHING
      RETURNING l.op_id, l.hold_token, l.flight_ids, l.seats
    ), per_flight AS (
      SELECT f.id, sum(w.seats)::int AS seats FROM written w, unnest(w.flight_ids) AS f(id) GROUP BY f.id
    ), locked AS MATERIALIZED (
      SELECT f.id FROM flights f WHERE f.id = ANY(ARRAY(SELECT id FROM per_flight)) ORDER BY f.id FOR NO KEY UPDATE
    ), moved AS (
      UPDATE flights f SET booked_seats = f.booked_seats + p.seats, updated_at = now()
      FROM per_flight p JOIN locked k ON k.id = p.id
      WHERE f.id = p.id AND f.status <> 'cancelled'
      RETURNING f.id
    ), checked AS (
      SELECT (SELECT count(*) FROM moved) = (SELECT count(*) FROM per_flight)
        OR seat_batch_refused(ARRAY(SELECT id FROM per_flight)) AS ok
    )
    SELECT w.op_id, w.hold_token FROM written w, checked c WHERE c.ok`;
  const tokens = new Map(written.map((r) => [r.op_id, r.hold_token]));
  // A row not written now was there before, or another transaction committed it while the
  // INSERT waited for it: read after the commit, when it is visible (rare: retries, races).
  return Promise.all(
    ops.map((op) => {
      const token = tokens.get(op.id);
      if (token === undefined) return rulingIn(sql, op);
      return { status: "confirmed" as const, mine: token === (op.token ?? "") };
    }),
  );
}
