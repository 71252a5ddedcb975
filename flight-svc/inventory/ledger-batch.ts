import type { Sql } from "../../lib/postgres-plugin.js";
import type { LedgerStatus, Op, Ruling } from "./ledger.js";

/**
 * Books several operations, on any legs, in ONE statement, hence one transaction and one round
 * trip (book_seats_many, migration 007): each answers the ruling that stands for its id, as
 * Ledger.book does. Throws, having written nothing, when the batch cannot be booked as a whole
 * (a leg cancelled or missing, too few seats on a flight for all of them).
 */
export async function bookTogether(sql: Sql, ops: Op[]): Promise<Ruling[]> {
  const rows = await sql<{ op_id: string; status: LedgerStatus; hold_token: string }[]>`
    SELECT op_id, status, hold_token FROM book_seats_many(
      ${ops.map((o) => o.id)}::text[], ${ops.map((o) => o.kind)}::text[], ${ops.map((o) => o.seats)}::int[],
      ${ops.map((o) => o.token ?? "")}::text[], ${ops.map((o) => o.legs.join(","))}::text[])`;
  const byId = new Map(rows.map((r) => [r.op_id, r]));
  return ops.map((op) => {
    const row = byId.get(op.id);
    if (!row) throw new Error(`ledger row ${op.id} vanished`);
    return { status: row.status, mine: row.hold_token === (op.token ?? "") };
  });
}
