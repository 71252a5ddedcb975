import type postgres from "postgres";
import type { AppError } from "../../lib/errors.js";
import type { Sql } from "../../lib/postgres-plugin.js";
import { freeReturnedSeats } from "../seating/repo.js";
import { type HandOver, moveLegs } from "./hand-over.js";

type Tx = postgres.TransactionSql;

export type OpKind = "hold" | "decrement" | "increment";
export type LedgerStatus = "confirmed" | "cancelled" | "released";

export interface LedgerRow {
  op_id: string;
  kind: OpKind;
  flight_ids: number[];
  seats: number;
  status: LedgerStatus;
}

export interface Op {
  id: string;
  kind: OpKind;
  legs: number[];
  seats: number;
  /** The hold that carries the operation (lua/hold.lua's token); absent for rows read back. */
  token?: string;
}

/** The ledger's word on an operation: its status, and whether this hold wrote the row. */
export interface Ruling {
  status: LedgerStatus;
  mine: boolean;
}

/** Why PostgreSQL refused to book: a leg is cancelled, or has fewer seats than asked. */
export interface Refusal {
  flightId: number;
  reason: "flight_cancelled" | "flight_not_found" | "not_enough_seats";
  available: number;
}

class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super("refused");
  }
}

/**
 * The PostgreSQL side of seat operations. Each one is a transaction keyed by the operation id
 * in seat_ledger, so retries and racing callers apply it at most once. Flight rows are locked
 * in id order, so multi-leg operations on overlapping flights cannot deadlock.
 */
export class Ledger {
  constructor(private readonly sql: Sql) {}

  async find(opId: string): Promise<LedgerRow | null> {
    const rows = await this.sql<LedgerRow[]>`
      SELECT op_id, kind, flight_ids::float8[] AS flight_ids, seats, status FROM seat_ledger WHERE op_id = ${opId}`;
    return rows[0] ?? null;
  }

  /**
   * Books the seats of `op` (confirm, decrement): the ruling that stands after the call
   * (confirmed and mine when booked now), or the refusal; a refusal writes nothing.
   */
  async book(op: Op): Promise<Ruling | Refusal> {
    try {
      return await this.sql.begin(async (tx) => {
        const inserted = await tx`
          INSERT INTO seat_ledger (op_id, kind, flight_ids, seats, status, hold_token)
          VALUES (${op.id}, ${op.kind}, ${op.legs}::bigint[], ${op.seats}, 'confirmed', ${op.token ?? ""})
          ON CONFLICT (op_id) DO NOTHING RETURNING op_id`;
        if (inserted.length === 0) return rulingIn(tx, op);
        const rows = await tx<{ id: number; total_seats: number; booked_seats: number; status: string }[]>`
          SELECT id::float8, total_seats, booked_seats, status FROM flights
          WHERE id = ANY(${op.legs}::bigint[]) ORDER BY id FOR NO KEY UPDATE`;
        for (const leg of op.legs) {
          const f = rows.find((r) => r.id === leg);
          if (!f || f.status === "cancelled") {
            const reason = f ? "flight_cancelled" : "flight_not_found";
            throw new Refused({ flightId: leg, reason, available: 0 });
          }
          if (f.booked_seats + op.seats > f.total_seats) {
            throw new Refused({ flightId: leg, reason: "not_enough_seats", available: f.total_seats - f.booked_seats });
          }
        }
        // The CHECK booked_within_total stays the last line: this UPDATE fails rather than oversell.
        await tx`UPDATE flights SET booked_seats = booked_seats + ${op.seats}, updated_at = now()
                 WHERE id = ANY(${op.legs}::bigint[])`;
        return { status: "confirmed" as const, mine: true };
      });
    } catch (err) {
      if (err instanceof Refused) return err.refusal;
      throw err;
    }
  }

  /**
   * Gives back the seats of a confirmed operation on `legs`, the legs its return began with. "returned"
   * when this call did it; otherwise the status found (cancelled before, released, null when there
   * is no row, or "moved" when a hand-over changed its legs since).
   */
  async cancel(opId: string, legs: number[]): Promise<"returned" | "moved" | LedgerStatus | null> {
    return this.sql.begin(async (tx) => {
      const [row] = await tx<{ flight_ids: number[]; seats: number; booking_ref: string | null }[]>`
        UPDATE seat_ledger SET status = 'cancelled', updated_at = now()
        WHERE op_id = ${opId} AND status = 'confirmed' AND flight_ids = ${legs}::bigint[]
        RETURNING flight_ids::float8[] AS flight_ids, seats, booking_ref`;
      if (!row) {
        const status = await this.statusIn(tx, opId);
        return status === "confirmed" ? "moved" : status;
      }
      await this.lockFlights(tx, row.flight_ids);
      await tx`UPDATE flights SET booked_seats = booked_seats - ${row.seats}, updated_at = now()
               WHERE id = ANY(${row.flight_ids}::bigint[])`;
      // A booking's seats and its passengers' seat assignments go back together.
      if (row.booking_ref !== null) await freeReturnedSeats(tx, row.booking_ref, row.flight_ids);
      return "returned" as const;
    });
  }

  /** Moves legs of a confirmed hold to another hold of its booking (hand-over.ts); a refusal, or null. */
  handOver(h: HandOver): Promise<AppError | null> {
    return moveLegs(this.sql, h);
  }

  /** Gives back seats without a hold (increment): refused when fewer are booked. */
  async unbook(op: Op): Promise<LedgerStatus | Refusal> {
    try {
      return await this.sql.begin(async (tx) => {
        const inserted = await tx`
          INSERT INTO seat_ledger (op_id, kind, flight_ids, seats, status)
          VALUES (${op.id}, ${op.kind}, ${op.legs}::bigint[], ${op.seats}, 'cancelled')
          ON CONFLICT (op_id) DO NOTHING RETURNING op_id`;
        if (inserted.length === 0) return (await this.statusIn(tx, op.id)) ?? "released";
        const rows = await tx<{ id: number; booked_seats: number }[]>`
          SELECT id::float8, booked_seats FROM flights WHERE id = ANY(${op.legs}::bigint[]) ORDER BY id FOR NO KEY UPDATE`;
        for (const leg of op.legs) {
          const f = rows.find((r) => r.id === leg);
          if (!f || f.booked_seats < op.seats) {
            throw new Refused({ flightId: leg, reason: "not_enough_seats", available: f?.booked_seats ?? 0 });
          }
        }
        await tx`UPDATE flights SET booked_seats = booked_seats - ${op.seats}, updated_at = now()
                 WHERE id = ANY(${op.legs}::bigint[])`;
        return "cancelled" as const;
      });
    } catch (err) {
      if (err instanceof Refused) return err.refusal;
      throw err;
    }
  }

  /**
   * The arbiter for an operation whose caller may have died: records it as released unless a
   * row exists; answers the ruling that stands. A late commit of the operation then finds the
   * row and does nothing.
   */
  async settle(op: Op): Promise<Ruling> {
    const [mine] = await this.sql<{ status: LedgerStatus }[]>`
      INSERT INTO seat_ledger (op_id, kind, flight_ids, seats, status, hold_token)
      VALUES (${op.id}, ${op.kind}, ${op.legs}::bigint[], ${op.seats}, 'released', ${op.token ?? ""})
      ON CONFLICT (op_id) DO NOTHING RETURNING status`;
    if (mine) return { status: mine.status, mine: true };
    // A separate statement: the row a concurrent transaction just committed is invisible to
    // the snapshot of the INSERT that waited for it.
    return rulingIn(this.sql, op);
  }

  private async statusIn(tx: Tx, opId: string): Promise<LedgerStatus | null> {
    const [row] = await tx<{ status: LedgerStatus }[]>`SELECT status FROM seat_ledger WHERE op_id = ${opId}`;
    return row?.status ?? null;
  }

  private async lockFlights(tx: Tx, ids: number[]): Promise<void> {
    await tx`SELECT id FROM flights WHERE id = ANY(${ids}::bigint[]) ORDER BY id FOR NO KEY UPDATE`;
  }
}

/** The ruling that stands for `op` in its ledger row, read by the key; the row must exist. */
export async function rulingIn(db: Sql | Tx, op: Op): Promise<Ruling> {
  const [row] = await db<{ status: LedgerStatus; hold_token: string }[]>`
    SELECT status, hold_token FROM seat_ledger WHERE op_id = ${op.id}`;
  if (!row) throw new Error(`ledger row ${op.id} vanished`);
  return { status: row.status, mine: row.hold_token === (op.token ?? "") };
}
