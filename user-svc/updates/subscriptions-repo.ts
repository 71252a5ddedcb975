import { compareIds } from "../../contracts/events/stream.js";
import { AppError } from "../../lib/errors.js";
import type { Sql } from "../../lib/postgres-plugin.js";

export type SubscriptionSource = "user" | "booking";

/** What a booking notice says of the flights a booking holds; `eventId` is its stream id. */
export interface BookingFlights {
  userId: number;
  bookingId: number;
  /** What tells two bookings with the same id apart (NoticeBody.booking_ref). */
  bookingRef: string;
  flightIds: number[];
  eventId: string;
}

/** A `booking` subscription a notice ended: it counted for the events after `from` and before `until`. */
export interface EndedSubscription {
  flightId: number;
  from: string | null;
  until: string;
}

export interface Subscription {
  flight_id: number;
  source: SubscriptionSource;
  created_at: string;
}

/** A subscription to a flight: it counts for the events after `from` (null: all) and, once ended, before `until`. */
export interface Follower {
  userId: number;
  from: string | null;
  until: string | null;
}

/** The users a flight's event `eventId` concerns, each once, of its flight's followers. */
export function concernedBy(eventId: string, followers: Follower[]): number[] {
  const users = new Set<number>();
  for (const f of followers) {
    if (f.from !== null && compareIds(f.from, eventId) >= 0) continue;
    if (f.until !== null && compareIds(eventId, f.until) >= 0) continue;
    users.add(f.userId);
  }
  return [...users];
}

interface Row {
  flight_id: string;
  source: SubscriptionSource;
  created_at: Date;
}

/** A stream id's two numbers, as users_db keeps them (bigint columns `_ms` and `_seq`). */
const idParts = (id: string): [string, string] => {
  const [ms, seq] = id.split("-");
  return [ms ?? "0", seq ?? "0"];
};

const toSubscription = (r: Row): Subscription => ({
  flight_id: Number(r.flight_id),
  source: r.source,
  created_at: r.created_at.toISOString(),
});

/** flight_subscriptions in users_db. */
export class SubscriptionsRepo {
  /** `retentionMs`: how long the events stream keeps an event (EVENTS_RETENTION_HOURS). */
  constructor(
    private readonly sql: Sql,
    private readonly retentionMs: number,
  ) {}

  async list(userId: number): Promise<Subscription[]> {
    const rows = await this.sql<Row[]>`
      SELECT flight_id, source, created_at FROM flight_subscriptions WHERE user_id = ${userId} ORDER BY flight_id`;
    return rows.map(toSubscription);
  }

  /**
   * The user's flights, each with the stream id of the notice its subscription counts after (a
   * booking's, migration 007), or null for one that counts for every event.
   */
  async flightsOf(userId: number): Promise<Map<number, string | null>> {
    const rows = await this.sql<{ flight_id: string; from_id: string | null }[]>`
      SELECT flight_id, from_ms || '-' || from_seq AS from_id FROM flight_subscriptions WHERE user_id = ${userId}`;
    return new Map(rows.map((r) => [Number(r.flight_id), r.from_id]));
  }

  /**
   * The user's `booking` subscriptions that a notice after the stream id `after` ended (a change
   * away from the flight, a cancellation), each with the ids it counted from (null: made before
   * migration 007) and until: a booking may have held a flight, left it, and held it again since.
   */
  async endedAfter(userId: number, after: string): Promise<EndedSubscription[]> {
    const [ms, seq] = idParts(after);
    const rows = await this.sql<{ flight_id: string; from_id: string | null; until_id: string }[]>`
      SELECT flight_id, from_ms || '-' || from_seq AS from_id, until_ms || '-' || until_seq AS until_id
      FROM ended_subscriptions
      WHERE user_id = ${userId} AND (until_ms, until_seq) > (${ms}::bigint, ${seq}::bigint)`;
    return rows.map((r) => ({ flightId: Number(r.flight_id), from: r.from_id, until: r.until_id }));
  }

  /**
   * Who the flight's event `eventId` concerns: a booking's subscription only when its notice came
   * before the event, and one a notice ended (migration 008) when that notice came after it. Each
   * instance reads the stream at its own pace, and one that ran ahead may already have written
   * the subscriptions of notices after the event, or ended them.
   */
  async subscribersOf(flightId: number, eventId: string): Promise<number[]> {
    return concernedBy(eventId, (await this.followersOf([flightId], eventId)).get(flightId) ?? []);
  }

  /**
   * The subscriptions of these flights, as they stand and as notices at or after the stream id
   * `since` ended them: one statement for a run of events, whose flights' followers are read
   * once however many events each has (concernedBy picks those of each event).
   */
  async followersOf(flightIds: number[], since: string): Promise<Map<number, Follower[]>> {
    const [ms, seq] = idParts(since);
    const rows = await this.sql<
      { flight_id: string; user_id: string; from_id: string | null; until_id: string | null }[]
    >`
      SELECT flight_id, user_id, from_ms || '-' || from_seq AS from_id, NULL AS until_id
      FROM flight_subscriptions WHERE flight_id = ANY(${flightIds}::bigint[])
      UNION ALL
      SELECT flight_id, user_id, from_ms || '-' || from_seq, until_ms || '-' || until_seq
      FROM ended_subscriptions
      WHERE flight_id = ANY(${flightIds}::bigint[]) AND (until_ms, until_seq) > (${ms}::bigint, ${seq}::bigint)`;
    const followers = new Map<number, Follower[]>();
    for (const r of rows) {
      const flightId = Number(r.flight_id);
      const list = followers.get(flightId) ?? [];
      list.push({ userId: Number(r.user_id), from: r.from_id, until: r.until_id });
      followers.set(flightId, list);
    }
    return followers;
  }

  /**
   * A user's own subscription, within `limit` per user: the row as it now is and whether it was
   * "added" or "exists", or "limit". The count and the insert are one statement under the user's
   * advisory lock, so two at once cannot both take the last place. The row is answered from the
   * statement that wrote it: read again after the commit, a DELETE from another device in
   * between left nothing to answer.
   */
  async add(
    userId: number,
    flightId: number,
    limit: number,
  ): Promise<{ outcome: "added" | "exists"; subscription: Subscription } | { outcome: "limit" }> {
    return this.sql.begin(async (tx) => {
      // The two-key lock takes ints: ids past 2^31 share a key with a smaller one, which only serializes them.
      await tx`SELECT pg_advisory_xact_lock(hashtext('flight_subscriptions'), (${userId}::bigint % 2147483647)::int)`;
      // A subscription a booking made becomes the user's own: it then outlives the booking. It keeps
      // counting from the booking's notice, as every instance had it count until now.
      const [found] = await tx<Row[]>`
        UPDATE flight_subscriptions SET source = 'user' WHERE user_id = ${userId} AND flight_id = ${flightId}
        RETURNING flight_id, source, created_at`;
      if (found) return { outcome: "exists" as const, subscription: toSubscription(found) };
      const [count] = await tx<{ n: number }[]>`
        SELECT count(*)::int AS n FROM flight_subscriptions WHERE user_id = ${userId}`;
      if ((count?.n ?? 0) >= limit) return { outcome: "limit" as const };
      const [added] = await tx<Row[]>`
        INSERT INTO flight_subscriptions (user_id, flight_id, source) VALUES (${userId}, ${flightId}, 'user')
        RETURNING flight_id, source, created_at`;
      return { outcome: "added" as const, subscription: toSubscription(added as Row) };
    });
  }

  /**
   * Bookings' flights as their notices give them (in stream order; a cancelled booking holds
   * none), for their travellers; no limit: the booking is what they hold. Each booking's flights
   * are kept (booking_flights, migration 005) so that a change or a cancellation drops the
   * `booking` subscriptions of the flights it left, unless another booking of the traveller
   * holds them. A notice older than the one a booking's row has is ignored, so an instance that
   * lags behind another cannot bring back what a later notice ended. A dropped subscription is
   * kept in ended_subscriptions for an instance behind this one, as long as the stream keeps
   * events. One statement per run.
   */
  async followBookings(notices: BookingFlights[]): Promise<void> {
    // The last notice of each booking: one statement cannot write a row twice.
    const last = [...new Map(notices.map((n) => [n.bookingRef, n])).values()];
    if (last.length === 0) return;
    const col = <K>(f: (n: BookingFlights) => K) => last.map(f);
    const [ms, seq] = [col((n) => idParts(n.eventId)[0]), col((n) => idParts(n.eventId)[1])];
    const expired = Math.max(...ms.map(Number)) - this.retentionMs;
    await this.sql`
      WITH v AS (
        SELECT user_id, booking_id, booking_ref, string_to_array(flights, ',')::bigint[] AS flight_ids, ms, seq
        FROM unnest(${col((n) => n.userId)}::bigint[], ${col((n) => n.bookingId)}::bigint[],
          ${col((n) => n.bookingRef)}::text[], ${col((n) => n.flightIds.join(","))}::text[], ${ms}::bigint[],
          ${seq}::bigint[])
          AS n(user_id, booking_id, booking_ref, flights, ms, seq)
      ), up AS (
        INSERT INTO booking_flights AS b (booking_ref, booking_id, user_id, flight_ids, event_ms, event_seq)
        SELECT booking_ref, booking_id, user_id, flight_ids, ms, seq FROM v ORDER BY booking_ref
        ON CONFLICT (booking_ref) DO UPDATE
          SET flight_ids = excluded.flight_ids, event_ms = excluded.event_ms, event_seq = excluded.event_seq,
            left_flight_ids = ARRAY(SELECT unnest(b.flight_ids) EXCEPT SELECT unnest(excluded.flight_ids))
          WHERE (excluded.event_ms, excluded.event_seq) > (b.event_ms, b.event_seq)
        RETURNING b.booking_ref, b.user_id, b.flight_ids, b.left_flight_ids, b.event_ms, b.event_seq
      ), added AS (
        -- A subscription counts from the first notice that made it: one already there keeps its
        -- position, and a user's own keeps none.
        INSERT INTO flight_subscriptions (user_id, flight_id, source, from_ms, from_seq)
        SELECT DISTINCT ON (up.user_id, f) up.user_id, f, 'booking', up.event_ms, up.event_seq
        FROM up, unnest(up.flight_ids) AS f
        ORDER BY up.user_id, f, up.event_ms, up.event_seq
        ON CONFLICT (user_id, flight_id) DO NOTHING
      ), dropped AS (
        SELECT DISTINCT ON (up.user_id, f) up.user_id, f AS flight_id, up.event_ms, up.event_seq
        FROM up, unnest(up.left_flight_ids) AS f
        ORDER BY up.user_id, f, up.event_ms DESC, up.event_seq DESC
      ), gone AS (
        DELETE FROM flight_subscriptions s USING dropped d
        WHERE s.user_id = d.user_id AND s.flight_id = d.flight_id AND s.source = 'booking'
          AND NOT EXISTS (SELECT 1 FROM up WHERE up.user_id = d.user_id AND d.flight_id = ANY(up.flight_ids))
          -- This statement's snapshot has the rows of up as they were: those are left to the line above.
          AND NOT EXISTS (
            SELECT 1 FROM booking_flights b
            WHERE b.user_id = d.user_id AND d.flight_id = ANY(b.flight_ids)
              AND b.booking_ref NOT IN (SELECT booking_ref FROM up))
        RETURNING s.user_id, s.flight_id, s.from_ms, s.from_seq, d.event_ms, d.event_seq
      ), purged AS (
        DELETE FROM ended_subscriptions WHERE until_ms < ${expired}::bigint
      )
      INSERT INTO ended_subscriptions (user_id, flight_id, from_ms, from_seq, until_ms, until_seq)
      SELECT user_id, flight_id, from_ms, from_seq, event_ms, event_seq FROM gone
      -- Each notice ends a subscription once; were it told twice, a failed statement would hold the hub.
      ON CONFLICT DO NOTHING`;
  }

  /** False when the user had no subscription to the flight (noSubscription is the refusal). */
  async remove(userId: number, flightId: number): Promise<boolean> {
    const rows = await this.sql`
      DELETE FROM flight_subscriptions WHERE user_id = ${userId} AND flight_id = ${flightId} RETURNING 1`;
    return rows.length === 1;
  }
}

/** An unsubscribe of a flight the user is not subscribed to, by REST or on the WebSocket. */
export function noSubscription(flightId: number): AppError {
  return new AppError("not_found", `No subscription to flight ${flightId}.`, { flight_id: flightId });
}
