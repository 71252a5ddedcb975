import type { Sql } from "../../lib/postgres-plugin.js";
import type { LedgerStatus, Op, Ruling } from "./ledger.js";

interface Written {
  op_id: string;
  status: LedgerStatus;
  hold_token: string;
}

/**
 * Books several operations on the same legs in ONE transaction: every ledger row in one
 * multi-row INSERT, the legs' booked_seats moved once by the seats of the rows written now.
 * Rows that already existed (a retried confirm, a confirm the sweeper settled first) book
 * nothing and answer the ruling they carry, as Ledger.book does. Anything the batch cannot
 * decide for all of its members at once (a cancelled or missing leg, too few seats: the CHECK
 * booked_within_total) throws and writes nothing; the caller then books each one on its own.
 */
export async function bookTogether(sql: Sql, legs: number[], ops: Op[]): Promise<Ruling[]> {
  // Ids in one order in every batch: two instances writing the same ids cannot deadlock.
  const fresh = [...new Map(ops.map((op) => [op.id, op])).values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  return sql.begin(async (tx) => {
    const inserted = await tx<(Written & { seats: number })[]>`
      INSERT INTO seat_ledger (op_id, kind, flight_ids, seats, status, hold_token)
      SELECT o.id, o.kind, ${legs}::bigint[], o.seats, 'confirmed', o.token
      FROM unnest(${fresh.map((o) => o.id)}::text[], ${fresh.map((o) => o.kind)}::text[],
                  ${fresh.map((o) => o.seats)}::int[], ${fresh.map((o) => o.token ?? "")}::text[])
           WITH ORDINALITY AS o(id, kind, seats, token, n)
      ORDER BY o.n
      ON CONFLICT (op_id) DO NOTHING RETURNING op_id, status, hold_token, seats`;
    const rows = new Map<string, Written>(inserted.map((r) => [r.op_id, r]));
    const seats = inserted.reduce((sum, r) => sum + r.seats, 0);
    if (seats > 0) {
      // Locks in id order, as every other multi-leg write does.
      if (legs.length > 1) await tx`SELECT id FROM flights WHERE id = ANY(${legs}::bigint[]) ORDER BY id FOR UPDATE`;
      const updated = await tx`
        UPDATE flights SET booked_seats = booked_seats + ${seats}, updated_at = now()
        WHERE id = ANY(${legs}::bigint[]) AND status <> 'cancelled' RETURNING id`;
      if (updated.length !== new Set(legs).size) throw new Error("a leg is cancelled or missing");
    }
    const earlier = fresh.filter((o) => !rows.has(o.id)).map((o) => o.id);
    if (earlier.length > 0) {
      // A statement of its own: the rows that made the INSERT skip are visible to its snapshot.
      const found = await tx<Written[]>`
        SELECT op_id, status, hold_token FROM seat_ledger WHERE op_id = ANY(${earlier}::text[])`;
      for (const r of found) rows.set(r.op_id, r);
    }
    return ops.map((op) => {
      const row = rows.get(op.id);
      if (!row) throw new Error(`ledger row ${op.id} vanished`);
      return { status: row.status, mine: row.hold_token === (op.token ?? "") };
    });
  });
}
