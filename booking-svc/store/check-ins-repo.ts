import { setTimeout as sleep } from "node:timers/promises";
import type { Sql } from "../../lib/postgres-plugin.js";

/** How often a change or a cancellation waiting for a check-in of its booking looks again. */
const CHECK_IN_POLL_MS = 20;

/**
 * `attempt` until it no longer finds a check-in of the booking running, for up to a check-in's
 * lease (`leaseSeconds`): a check-in lasts as long as flight-svc takes to seat the passengers, and
 * one that died no longer counts once its lease ends. The last answer, checking in or not.
 */
export async function onceCheckedIn<T>(
  leaseSeconds: number,
  attempt: () => Promise<T>,
  checkingIn: (answer: T) => boolean,
): Promise<T> {
  const until = Date.now() + leaseSeconds * 1000;
  for (;;) {
    const answer = await attempt();
    if (!checkingIn(answer) || Date.now() >= until) return answer;
    await sleep(CHECK_IN_POLL_MS);
  }
}

/**
 * The check-ins running on a booking (booking_check_ins), which a change or a cancellation of it
 * waits for. Marking one and starting a change or a cancellation lock the booking's row (key share
 * against update), so one of them sees the other: a check-in marked sees no change or
 * cancellation running, and they see no check-in running. No lock is held while the check-in
 * calls flight-svc.
 */
export class CheckInsRepo {
  constructor(
    private readonly sql: Sql,
    private readonly leaseSeconds: number,
  ) {}

  /** Marks a check-in running on the booking; null when a change or a cancellation of it runs (or it is gone). */
  async begin(bookingId: number): Promise<number | null> {
    const rows = await this.sql<{ id: string }[]>`
      INSERT INTO booking_check_ins (booking_id, lease_until)
      SELECT id, now() + make_interval(secs => ${this.leaseSeconds}) FROM (
        SELECT id FROM bookings
        WHERE id = ${bookingId} AND status = 'confirmed' AND step = 'done' AND changing IS NULL FOR KEY SHARE
      ) b
      RETURNING id`;
    return rows[0] ? Number(rows[0].id) : null;
  }

  /**
   * Ends the check-in (and drops rows that check-ins which died left behind). True when the
   * booking is still confirmed on `flightIds` with no change or cancellation running: only a
   * check-in slower than its lease can find otherwise, one having started once the lease ended.
   */
  async end(id: number, bookingId: number, flightIds: number[]): Promise<boolean> {
    const rows = await this.sql<{ same: boolean }[]>`
      WITH gone AS (
        DELETE FROM booking_check_ins WHERE booking_id = ${bookingId} AND (id = ${id} OR lease_until < now())
      )
      SELECT b.status = 'confirmed' AND b.step = 'done' AND b.changing IS NULL AND ARRAY(
        SELECT flight_id FROM booking_legs l WHERE l.booking_id = b.id ORDER BY l.leg_no
      ) = ${flightIds}::bigint[] AS same
      FROM bookings b WHERE b.id = ${bookingId}`;
    return rows[0]?.same === true;
  }
}
