import type { Sql } from "../../lib/postgres-plugin.js";

export type SubscriptionSource = "user" | "booking";

export interface Subscription {
  flight_id: number;
  source: SubscriptionSource;
  created_at: string;
}

interface Row {
  flight_id: string;
  source: SubscriptionSource;
  created_at: Date;
}

const toSubscription = (r: Row): Subscription => ({
  flight_id: Number(r.flight_id),
  source: r.source,
  created_at: r.created_at.toISOString(),
});

/** flight_subscriptions in users_db. */
export class SubscriptionsRepo {
  constructor(private readonly sql: Sql) {}

  async list(userId: number): Promise<Subscription[]> {
    const rows = await this.sql<Row[]>`
      SELECT flight_id, source, created_at FROM flight_subscriptions WHERE user_id = ${userId} ORDER BY flight_id`;
    return rows.map(toSubscription);
  }

  async flightsOf(userId: number): Promise<Set<number>> {
    const rows = await this.sql<{ flight_id: string }[]>`
      SELECT flight_id FROM flight_subscriptions WHERE user_id = ${userId}`;
    return new Set(rows.map((r) => Number(r.flight_id)));
  }

  async subscribersOf(flightId: number): Promise<number[]> {
    const rows = await this.sql<{ user_id: string }[]>`
      SELECT user_id FROM flight_subscriptions WHERE flight_id = ${flightId}`;
    return rows.map((r) => Number(r.user_id));
  }

  /**
   * A user's own subscription, within `limit` per user: "added", "exists" or "limit". The count
   * and the insert are one statement under the user's advisory lock, so two at once cannot both
   * take the last place.
   */
  async add(userId: number, flightId: number, limit: number): Promise<"added" | "exists" | "limit"> {
    return this.sql.begin(async (tx) => {
      // The two-key lock takes ints: ids past 2^31 share a key with a smaller one, which only serializes them.
      await tx`SELECT pg_advisory_xact_lock(hashtext('flight_subscriptions'), (${userId}::bigint % 2147483647)::int)`;
      const [found] =
        await tx`SELECT 1 FROM flight_subscriptions WHERE user_id = ${userId} AND flight_id = ${flightId}`;
      if (found) return "exists";
      const [count] = await tx<{ n: number }[]>`
        SELECT count(*)::int AS n FROM flight_subscriptions WHERE user_id = ${userId}`;
      if ((count?.n ?? 0) >= limit) return "limit";
      await tx`INSERT INTO flight_subscriptions (user_id, flight_id, source) VALUES (${userId}, ${flightId}, 'user')`;
      return "added";
    });
  }

  /** Confirmed bookings' flights, for their travellers; no limit: the booking is what they hold. */
  async addForBookings(bookings: { userId: number; flightIds: number[] }[]): Promise<void> {
    const users = bookings.flatMap((b) => b.flightIds.map(() => b.userId));
    if (users.length === 0) return;
    const flights = bookings.flatMap((b) => b.flightIds);
    await this.sql`
      INSERT INTO flight_subscriptions (user_id, flight_id, source)
      SELECT u, f, 'booking' FROM unnest(${users}::bigint[], ${flights}::bigint[]) AS t(u, f)
      ON CONFLICT (user_id, flight_id) DO NOTHING`;
  }

  async remove(userId: number, flightId: number): Promise<boolean> {
    const rows = await this.sql`
      DELETE FROM flight_subscriptions WHERE user_id = ${userId} AND flight_id = ${flightId} RETURNING 1`;
    return rows.length === 1;
  }
}
