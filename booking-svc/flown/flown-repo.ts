// The flown job's reads and writes of booking_legs and bookings (migration 008).
import type { Sql } from "../../lib/postgres-plugin.js";

export interface UnearnedLeg {
  bookingId: number;
  /** The booking's key nonce (migration 012); null for a booking made before it. */
  bookingNonce: string | null;
  flightId: number;
  userId: number;
  miles: number;
  /** The flight's departure (migration 021); null for a leg flown before it was kept. */
  departedAt: Date | null;
  /**
   * When it was marked flown, as PostgreSQL's text to the microsecond (a Date keeps milliseconds,
   * and postgres.js makes a timestamptz parameter one): where the next page of a round starts.
   */
  flownKey: string;
}

// Any fixed number; the second key is the flight: one instance marks a flight's legs at a time.
const FLOWN_LOCK = 7_340_008;

export class FlownRepo {
  constructor(private readonly sql: Sql) {}

  /**
   * Flights with a leg not yet flown on a confirmed booking that has departed by `today` (its
   * first leg's date, which its legs carry), `limit` after `after` in id order. A booking
   * confirmed after its travel date (a flight booked once it had gone, as the demo's 2024 flights
   * are) never flies, nor does a leg markFlown found confirmed after its flight departed; their
   * legs are marked so, and the index this reads (migration 011) holds only legs that may still
   * fly, by date: a round reads the legs whose day has come, not every booking.
   *
   * The planner cannot tell that legs dated up to today are nearly all flown already (it takes
   * the date and the flown marks as independent), so it expects a large share of the table to be
   * due: asked for the flights in order, it walked booking_legs_flight_idx through every leg ever
   * booked (1.7 s a round at 2.7 million legs), and given the due legs alone it joined them to a
   * scan of every booking. The due legs are read first from the index by date, and each one's
   * booking looked up by its key, so a round costs what is due. The same estimate is large
   * enough to have PostgreSQL compile the plan (JIT): 176–239 ms a round at 2.7 million legs
   * against 12–17 ms without, so the search runs with JIT off. Turned off for the transaction
   * alone, not by a connection setting, which a pooler such as PgBouncer refuses.
   */
  async flightsToCheck(today: string, after: number, limit: number): Promise<number[]> {
    const rows = await this.sql.begin(async (tx) => {
      await tx`SET LOCAL jit = off`;
      return tx<{ flight_id: string }[]>`
      WITH due AS MATERIALIZED (
        SELECT l.flight_id, l.booking_id FROM booking_legs l
        WHERE l.flown_at IS NULL AND l.never_flown_at IS NULL AND l.travel_date <= ${today}::date
          AND l.flight_id > ${after})
      SELECT DISTINCT d.flight_id FROM due d
      CROSS JOIN LATERAL (
        SELECT 1 FROM bookings b
        WHERE b.id = d.booking_id AND b.status = 'confirmed' AND b.step = 'done' AND b.confirmed_at < b.travel_date + 1
        LIMIT 1) confirmed
      ORDER BY d.flight_id LIMIT ${limit}`;
    });
    return rows.map((r) => Number(r.flight_id));
  }

  /**
   * Marks the flight's legs flown on every booking still confirmed and not being cancelled, and
   * confirmed before the flight departed, with their miles; answers how many. The legs of
   * bookings confirmed after it departed are marked as never flown, so that no later round
   * selects the flight for them again. Another instance on the same flight makes this one skip it.
   */
  async markFlown(flight: { id: number; departure: Date }, distanceMiles: number, at: Date): Promise<number> {
    const flightId = flight.id;
    return this.sql.begin(async (tx) => {
      const [lock] = await tx<
        { ok: boolean }[]
      >`SELECT pg_try_advisory_xact_lock(${FLOWN_LOCK}, (${flightId}::bigint % 2147483647)::int) AS ok`;
      if (!lock?.ok) return 0;
      const rows = await tx`
        WITH b AS (
          UPDATE bookings SET flown_at = COALESCE(flown_at, ${at}), updated_at = now()
          WHERE status = 'confirmed' AND step = 'done' AND confirmed_at < ${flight.departure}
            AND id IN (SELECT booking_id FROM booking_legs
              WHERE flight_id = ${flightId} AND flown_at IS NULL AND never_flown_at IS NULL)
          RETURNING id, seats)
        UPDATE booking_legs l
        SET flown_at = ${at}, departed_at = ${flight.departure}, miles = round(${distanceMiles}::float8 * b.seats)::int
        FROM b WHERE l.booking_id = b.id AND l.flight_id = ${flightId} AND l.flown_at IS NULL AND l.never_flown_at IS NULL
        RETURNING l.booking_id`;
      await tx`
        UPDATE booking_legs l SET never_flown_at = ${at}
        FROM bookings b
        WHERE b.id = l.booking_id AND l.flight_id = ${flightId} AND l.flown_at IS NULL AND l.never_flown_at IS NULL
          AND b.status = 'confirmed' AND b.step = 'done' AND b.confirmed_at >= ${flight.departure}`;
      return rows.length;
    });
  }

  /** Marks the legs still open on a flight that can no longer fly (cancelled, its time passed). */
  async markNeverFlown(flightId: number, at: Date): Promise<void> {
    await this.sql`UPDATE booking_legs SET never_flown_at = ${at}
      WHERE flight_id = ${flightId} AND flown_at IS NULL AND never_flown_at IS NULL`;
  }

  /**
   * Flown legs whose miles user-svc has not acknowledged yet, oldest first, `limit` after the leg
   * `after` (a round goes past legs user-svc refused). The ids are bigint up to 2^53 - 1, read as
   * strings: one past 2^31 cast to int would fail every round, for everyone.
   */
  async unearned(limit: number, after: UnearnedLeg | null = null): Promise<UnearnedLeg[]> {
    const rows = await this.sql<
      {
        booking_id: string;
        key_nonce: string | null;
        flight_id: string;
        user_id: string;
        miles: number;
        departed_at: Date | null;
        flown_key: string;
      }[]
    >`
      SELECT l.booking_id, b.key_nonce, l.flight_id, b.user_id, l.miles, l.departed_at, l.flown_at::text AS flown_key
      FROM booking_legs l JOIN bookings b ON b.id = l.booking_id
      WHERE l.flown_at IS NOT NULL AND l.earned_at IS NULL
        ${
          after === null
            ? this.sql``
            : this
                .sql`AND (l.flown_at, l.booking_id, l.flight_id) > (${after.flownKey}::text::timestamptz, ${after.bookingId}, ${after.flightId})`
        }
      ORDER BY l.flown_at, l.booking_id, l.flight_id LIMIT ${limit}`;
    return rows.map((r) => ({
      bookingId: Number(r.booking_id),
      bookingNonce: r.key_nonce,
      flightId: Number(r.flight_id),
      userId: Number(r.user_id),
      miles: r.miles,
      departedAt: r.departed_at,
      flownKey: r.flown_key,
    }));
  }

  /** Records the legs' miles acknowledged by user-svc, in one statement. */
  async setEarned(legs: Pick<UnearnedLeg, "bookingId" | "flightId">[]): Promise<void> {
    if (legs.length === 0) return;
    await this.sql`UPDATE booking_legs l SET earned_at = now()
      FROM unnest(${legs.map((l) => l.bookingId)}::bigint[], ${legs.map((l) => l.flightId)}::bigint[]) AS v(booking_id, flight_id)
      WHERE l.booking_id = v.booking_id AND l.flight_id = v.flight_id AND l.earned_at IS NULL`;
  }
}
