import { keys } from "../../flight-svc/inventory/keys.js";
import type { Sql } from "../../lib/postgres-plugin.js";
import { eachMaster, getMany, pipelineByNode } from "../../lib/redis-nodes.js";
import type { RedisClient } from "../../lib/redis-plugin.js";
import type { RouteDay } from "../route-mix.js";

// What the checker reads straight from the stores: PostgreSQL is the durable truth, Redis the
// live counters (one node or a cluster: keys are scanned on every master and read on the node
// that serves them). Nothing here writes.

/** The bookings one scenario made: its own user ids, created after it started. */
export interface BookingScope {
  afterBookingId: number;
  userIdFrom: number;
  userIdTo: number;
}

export interface ScopeBooking {
  id: number;
  user_id: number;
  status: "pending" | "confirmed" | "failed" | "cancelled";
  seats: number;
  total_amount: number;
  payment_id: string | null;
  /** The key booking-svc charges the booking under (booking-<id>-<nonce>). */
  payment_key: string;
  /** "miles" bookings are paid at user-svc, every other type at payment-mock. */
  payment_type: string;
  legs: number[];
  /** The fares of its legs refunded while it stayed confirmed (a connection outliving a cancelled flight). */
  leg_refunded: number;
  /** How many refunds those took (one per payment a leg's refund came from). */
  leg_refunds: number;
}

export interface FlightRow {
  id: number;
  total_seats: number;
  booked_seats: number;
}

export async function maxBookingId(sql: Sql): Promise<number> {
  const [row] = await sql<{ max: number }[]>`SELECT coalesce(max(id), 0)::int AS max FROM bookings`;
  return row?.max ?? 0;
}

export function scopeBookings(sql: Sql, s: BookingScope): Promise<ScopeBooking[]> {
  return sql<ScopeBooking[]>`
    SELECT b.id::int AS id, b.user_id::int AS user_id, b.status, b.seats, b.total_amount, b.payment_id,
           b.payment_key, b.payment_type,
           coalesce(array_agg(l.flight_id::int ORDER BY l.leg_no) FILTER (WHERE l.flight_id IS NOT NULL), '{}') AS legs,
           (SELECT coalesce(sum(r.amount - r.unrefunded_amount), 0) FROM booking_leg_refunds r
            WHERE r.booking_id = b.id AND r.refunded_at IS NOT NULL) AS leg_refunded,
           (SELECT coalesce(sum(cardinality(r.refund_ids)), 0)::int FROM booking_leg_refunds r
            WHERE r.booking_id = b.id) AS leg_refunds
    FROM bookings b LEFT JOIN booking_legs l ON l.booking_id = b.id
    WHERE b.id > ${s.afterBookingId} AND b.user_id >= ${s.userIdFrom} AND b.user_id < ${s.userIdTo}
    GROUP BY b.id ORDER BY b.id`;
}

/**
 * The scope's unfinished bookings (pending, or a cancellation still running: booking-svc's
 * `step` column when it has one) and its newest booking id.
 */
export async function scopeProgress(sql: Sql, s: BookingScope): Promise<{ unfinished: number[]; maxId: number }> {
  const rows = await sql<{ id: number; unfinished: boolean }[]>`
    SELECT b.id::int AS id,
           (b.status = 'pending' OR coalesce(to_jsonb(b) ->> 'step', 'done') <> 'done') AS unfinished
    FROM bookings b
    WHERE b.id > ${s.afterBookingId} AND b.user_id >= ${s.userIdFrom} AND b.user_id < ${s.userIdTo}`;
  let maxId = 0;
  const unfinished: number[] = [];
  for (const r of rows) {
    maxId = Math.max(maxId, r.id);
    if (r.unfinished) unfinished.push(r.id);
  }
  return { unfinished: unfinished.sort((a, b) => a - b), maxId };
}

/** Each booking's status now, for telling whether a refused try changed it. */
export async function bookingStatuses(sql: Sql, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await sql<{ id: number; status: string }[]>`
    SELECT id::int AS id, status FROM bookings WHERE id = ANY(string_to_array(${ids.join(",")}, ',')::bigint[])`;
  return new Map(rows.map((r) => [r.id, r.status]));
}

export function flightRows(sql: Sql, ids: readonly number[]): Promise<FlightRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return sql<FlightRow[]>`
    SELECT id::int AS id, total_seats, booked_seats FROM flights WHERE id = ANY(string_to_array(${ids.join(",")}, ',')::bigint[])
    ORDER BY id`;
}

/** Flights whose confirmed seats exceed their total (the CHECK constraint should make this empty). */
export function oversoldFlights(sql: Sql): Promise<FlightRow[]> {
  return sql<FlightRow[]>`
    SELECT id::int AS id, total_seats, booked_seats FROM flights WHERE booked_seats > total_seats ORDER BY id LIMIT 20`;
}

/**
 * Scheduled routes per UTC day with their number of flights, the material of the search mix;
 * routes touching `exclude` (the harness's own airports) are left out.
 */
export function routeDays(sql: Sql, exclude: readonly string[] = [], limit = 5_000): Promise<RouteDay[]> {
  const skip = exclude.join(",");
  return sql<RouteDay[]>`
    SELECT source, destination, to_char(departure_time AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date, count(*)::int AS flights
    FROM flights
    WHERE status <> 'cancelled'
      AND NOT (source = ANY(string_to_array(${skip}, ',')) OR destination = ANY(string_to_array(${skip}, ',')))
    GROUP BY 1, 2, 3 ORDER BY flights DESC, 1, 2, 3 LIMIT ${limit}`;
}

const COUNTER_PATTERN = keys.seatsAvailable("*");
const flightIdIn = (key: (id: string) => string) =>
  new RegExp(
    `^${key("ID")
      .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
      .replace("ID", "(\\d+)")}$`,
  );
const counterId = flightIdIn(keys.seatsAvailable);
const HOLDS_PATTERN = keys.flightHolds("*");
const holdsId = flightIdIn(keys.flightHolds);

async function scanKeys(redis: RedisClient, pattern: string): Promise<string[]> {
  const perNode = await eachMaster(redis, async (node) => {
    const found: string[] = [];
    let cursor = "0";
    do {
      const [next, batch] = await node.scan(cursor, "MATCH", pattern, "COUNT", 1000);
      cursor = next;
      found.push(...batch);
    } while (cursor !== "0");
    return found;
  });
  return perNode.flat();
}

/**
 * Seats of the live holds on each flight that has any: flight id → seats held. Holds are seats
 * taken from the counter and not yet confirmed or given back (a client's 30-minute hold, a
 * booking in progress).
 */
export async function heldSeats(redis: RedisClient): Promise<Map<number, number>> {
  const found = await scanKeys(redis, HOLDS_PATTERN);
  const out = new Map<number, number>();
  for (let i = 0; i < found.length; i += 1000) {
    const chunk = found.slice(i, i + 1000);
    const replies = await pipelineByNode(
      redis,
      chunk,
      (k) => k,
      (pipe, k) => pipe.hvals(k),
    );
    chunk.forEach((key, j) => {
      const m = holdsId.exec(key);
      if (!m) return;
      const seats = ((replies[j] ?? []) as string[]).reduce((a, v) => a + Number(v), 0);
      if (seats > 0) out.set(Number(m[1]), seats);
    });
  }
  return out;
}

/** Every seat counter in Redis: flight id → seats available. */
export async function seatCounters(redis: RedisClient): Promise<Map<number, number>> {
  const found = await scanKeys(redis, COUNTER_PATTERN);
  const out = new Map<number, number>();
  for (let i = 0; i < found.length; i += 1000) {
    const chunk = found.slice(i, i + 1000);
    const values = await getMany(redis, chunk);
    chunk.forEach((key, j) => {
      const m = counterId.exec(key);
      const v = values[j];
      if (m && v !== null && v !== undefined) out.set(Number(m[1]), Number(v));
    });
  }
  return out;
}
