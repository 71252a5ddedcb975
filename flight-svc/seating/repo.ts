import type postgres from "postgres";
import { isSeat } from "../../contracts/flight-svc/seat-layout.js";
import type { SeatAssignment } from "../../contracts/flight-svc/seats.js";
import { AppError, validationError } from "../../lib/errors.js";
import type { Sql } from "../../lib/postgres-plugin.js";
import { shareCabin } from "./cabin-lock.js";

type Tx = postgres.TransactionSql;

export interface SeatedFlight {
  id: number;
  flightNumber: string;
  totalSeats: number;
}

/**
 * A passenger's wanted seat after planning: `field` names it in the request for errors; `asked`
 * when the request named the seat, not when planning kept, found or picked one for them.
 */
export interface PlannedSeat {
  passenger: number;
  seat: string;
  field: string;
  asked: boolean;
}

/** One leg of a check-in: the flight and its passengers' planned seats. */
export interface LegPlan {
  flightId: number;
  plan: PlannedSeat[];
}

/** PostgreSQL refused a seat because another passenger holds it (the primary key). */
export class SeatHeld extends Error {
  constructor(
    readonly flightId: number,
    readonly seat: string,
  ) {
    super(`seat ${seat} on flight ${flightId} is held`);
  }
}

/** Another request for the same passenger committed first (a client's concurrent repeat). */
export class PassengerRace extends Error {}

/** total_seats changed since the plan was made, and a planned seat is no longer in the cabin. */
export class CabinChanged extends Error {
  constructor(
    readonly flightId: number,
    readonly totalSeats: number,
  ) {
    super(`flight ${flightId}'s cabin now has ${totalSeats} seats`);
  }
}

const UNIQUE_VIOLATION = "23505";

/** seat_assignments and checkin_sequences (migration 005): the truth of who sits where. */
export class SeatsRepo {
  constructor(private readonly sql: Sql) {}

  async flight(id: number): Promise<SeatedFlight | null> {
    const [row] = await this.sql<{ id: number; flight_number: string; total_seats: number }[]>`
      SELECT id::float8, flight_number, total_seats FROM flights WHERE id = ${id}`;
    return row ? { id: row.id, flightNumber: row.flight_number, totalSeats: row.total_seats } : null;
  }

  async ofBooking(flightId: number, ref: string): Promise<SeatAssignment[]> {
    return this.sql<SeatAssignment[]>`
      SELECT passenger, seat, sequence FROM seat_assignments
      WHERE flight_id = ${flightId} AND booking_ref = ${ref} ORDER BY passenger`;
  }

  /** Every assignment of a flight, as the seat map stores it. */
  async ofFlight(flightId: number): Promise<{ seat: string; booking_ref: string; passenger: number; at: number }[]> {
    return this.sql`
      SELECT seat, booking_ref, passenger,
             (extract(epoch FROM assigned_at) * 1000)::bigint::float8 AS at
      FROM seat_assignments WHERE flight_id = ${flightId}`;
  }

  keptSeats(ref: string, legs: number[]): Promise<Map<number, number>> {
    return keptSeats(this.sql, ref, legs);
  }

  async holderOf(flightId: number, seat: string): Promise<{ booking_ref: string; passenger: number } | null> {
    const [row] = await this.sql<{ booking_ref: string; passenger: number }[]>`
      SELECT booking_ref, passenger FROM seat_assignments WHERE flight_id = ${flightId} AND seat = ${seat}`;
    return row ?? null;
  }

  /**
   * Writes every leg's plan in one transaction, so that a leg refused leaves the others as they
   * were. On each leg, under the flight's cabin lock (cabin-lock.ts), every planned seat must be
   * in the cabin as total_seats is now; the booking's confirmed ledger rows on the flight are
   * locked FOR SHARE, so a return of its seats waits for this and then deletes what it must (or
   * ran first, and this sees no confirmed seats). `beforeCommit` runs once every leg is written,
   * under the flights' check-in locks, so what it does follows the commits' order. Throws
   * SeatHeld on a taken seat, CabinChanged on a seat no longer in the cabin.
   */
  async assign(
    ref: string,
    legs: LegPlan[],
    beforeCommit: (flightId: number, written: SeatAssignment[]) => Promise<unknown>,
  ): Promise<SeatAssignment[][]> {
    // In flight order: two check-ins sharing flights wait for each other's locks, never deadlock.
    const ordered = [...legs].sort((a, b) => a.flightId - b.flightId);
    try {
      return await this.sql.begin(async (tx) => {
        const written = new Map<number, SeatAssignment[]>();
        for (const leg of ordered) written.set(leg.flightId, await this.write(tx, ref, leg));
        for (const leg of ordered) await beforeCommit(leg.flightId, written.get(leg.flightId) ?? []);
        return legs.map((leg) => written.get(leg.flightId) ?? []);
      });
    } catch (err) {
      const pg = err as { code?: string; constraint_name?: string; detail?: string };
      if (pg.code === UNIQUE_VIOLATION && pg.constraint_name === "seat_assignments_pkey") {
        const [, flightId, seat] = /\(flight_id, seat\)=\((\d+), ([^)]+)\)/.exec(pg.detail ?? "") ?? [];
        throw new SeatHeld(Number(flightId), seat ?? "");
      }
      if (pg.code === UNIQUE_VIOLATION) throw new PassengerRace();
      throw err;
    }
  }

  /** One leg's plan, written inside `tx`; the booking's seats on the flight after it. */
  private async write(tx: Tx, ref: string, { flightId, plan }: LegPlan): Promise<SeatAssignment[]> {
    await shareCabin(tx, flightId);
    const [cabin] = await tx<{ total_seats: number }[]>`SELECT total_seats FROM flights WHERE id = ${flightId}`;
    const totalSeats = cabin?.total_seats ?? 0;
    if (plan.some((p) => !isSeat(p.seat, totalSeats))) throw new CabinChanged(flightId, totalSeats);
    const confirmed = await this.confirmedSeats(tx, flightId, ref);
    if (confirmed === 0) {
      throw new AppError("not_checked_in", `The booking has no confirmed seats on flight ${flightId}.`, {
        flight_id: flightId,
      });
    }
    for (const p of plan) {
      if (p.passenger >= confirmed) {
        throw validationError(p.field, `the booking has ${confirmed} passengers on flight ${flightId}`);
      }
    }
    // One check-in at a time per flight: two racing for a seat would otherwise each wait for
    // the other's row (the seat, the boarding sequence) and deadlock.
    await tx`INSERT INTO checkin_sequences (flight_id, last_sequence) VALUES (${flightId}, 0)
             ON CONFLICT (flight_id) DO UPDATE SET last_sequence = checkin_sequences.last_sequence`;
    // A seat the plan chose for a passenger (not asked for) was read before this lock: a
    // concurrent check-in of theirs that named a seat may have seated them since, and they keep it.
    const seated = await tx<{ passenger: number }[]>`
      SELECT passenger FROM seat_assignments WHERE flight_id = ${flightId} AND booking_ref = ${ref}`;
    const moves = plan.filter((p) => p.asked || !seated.some((s) => s.passenger === p.passenger));
    // Passengers who move leave their seats first, so that passengers of this booking can
    // trade seats in one request: the primary key is checked row by row.
    const left = new Map<number, number>();
    for (const p of moves) {
      const [row] = await tx<{ sequence: number }[]>`
        DELETE FROM seat_assignments
        WHERE flight_id = ${flightId} AND booking_ref = ${ref} AND passenger = ${p.passenger} AND seat <> ${p.seat}
        RETURNING sequence`;
      if (row) left.set(p.passenger, row.sequence);
    }
    for (const p of moves) await this.place(tx, flightId, ref, p, left.get(p.passenger));
    return tx<SeatAssignment[]>`
      SELECT passenger, seat, sequence FROM seat_assignments
      WHERE flight_id = ${flightId} AND booking_ref = ${ref} ORDER BY passenger`;
  }

  private async confirmedSeats(tx: Tx, flightId: number, ref: string): Promise<number> {
    const [row] = await tx<{ seats: number }[]>`
      SELECT COALESCE(SUM(seats), 0)::int AS seats FROM (
        SELECT seats FROM seat_ledger
        WHERE booking_ref = ${ref} AND status = 'confirmed' AND ${flightId}::bigint = ANY(flight_ids)
        FOR SHARE) mine`;
    return row?.seats ?? 0;
  }

  /** A passenger who moved keeps their boarding sequence (`moved`); a new one gets the next. */
  private async place(tx: Tx, flightId: number, ref: string, p: PlannedSeat, moved?: number): Promise<void> {
    let sequence = moved;
    if (sequence === undefined) {
      const [kept] = await tx`
        SELECT 1 FROM seat_assignments WHERE flight_id = ${flightId} AND booking_ref = ${ref} AND passenger = ${p.passenger}`;
      if (kept) return;
      const [seq] = await tx<{ last_sequence: number }[]>`
        UPDATE checkin_sequences SET last_sequence = last_sequence + 1 WHERE flight_id = ${flightId}
        RETURNING last_sequence`;
      sequence = seq?.last_sequence ?? 1;
    }
    await tx`
      INSERT INTO seat_assignments (flight_id, seat, booking_ref, passenger, sequence)
      VALUES (${flightId}, ${p.seat}, ${ref}, ${p.passenger}, ${sequence})`;
  }
}

/**
 * The SQL a return of a booking's seats runs in its own transaction (inventory/ledger.ts): the
 * booking's passengers at or above what stays confirmed on each leg lose their seats.
 */
export async function freeReturnedSeats(tx: Tx, ref: string, legs: number[]): Promise<void> {
  await tx`
    DELETE FROM seat_assignments a
    WHERE a.booking_ref = ${ref} AND a.flight_id = ANY(${legs}::bigint[])
      AND a.passenger >= (
        SELECT COALESCE(SUM(l.seats), 0) FROM seat_ledger l
        WHERE l.booking_ref = ${ref} AND l.status = 'confirmed' AND a.flight_id = ANY(l.flight_ids))`;
}

/** What stays confirmed of a booking on each leg after a return (the Redis side frees the rest). */
export async function keptSeats(sql: Sql, ref: string, legs: number[]): Promise<Map<number, number>> {
  const rows = await sql<{ flight_id: number; seats: number }[]>`
    SELECT f::float8 AS flight_id, COALESCE(SUM(l.seats), 0)::int AS seats
    FROM unnest(${legs}::bigint[]) f
    LEFT JOIN seat_ledger l ON l.booking_ref = ${ref} AND l.status = 'confirmed' AND f = ANY(l.flight_ids)
    GROUP BY f`;
  return new Map(rows.map((r) => [r.flight_id, r.seats]));
}
