import { READY_PROBE_PREFIX } from "../../lib/redis-readiness.js";
import type { System } from "./system.js";

// Everything a request could change, read straight from the stores and payment-mock: two equal
// snapshots mean nothing was held, booked, cancelled, charged, refunded or reconfigured.

async function redisState(sys: System): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const found = await sys.redis.keys("*");
  // Login attempt counters (user-svc/login-limit.ts) vanish when their window ends, however long
  // the requests in between took: time, not a request, changes them. So do /ready's probe keys.
  const changedByTime = (k: string) => k.startsWith("user:{login:") || k.startsWith(READY_PROBE_PREFIX);
  for (const key of found.filter((k) => !changedByTime(k)).sort()) {
    const type = await sys.redis.type(key);
    if (type === "string") out[key] = await sys.redis.get(key);
    else if (type === "hash") out[key] = await sys.redis.hgetall(key);
    else if (type === "zset") out[key] = await sys.redis.zrange(key, 0, -1, "WITHSCORES");
    else if (type === "set") out[key] = (await sys.redis.smembers(key)).sort();
    else if (type === "list") out[key] = await sys.redis.lrange(key, 0, -1);
    else out[key] = type;
  }
  return out;
}

/** `admin`: the headers that may read payment-mock's totals and settings. */
export async function snapshot(sys: System, admin: Record<string, string>): Promise<Record<string, unknown>> {
  // Seat counters are filled in Redis on first read: read them all, so that a read is no change.
  const ids = await sys.flightsSql<{ id: number }[]>`SELECT id::int FROM flights ORDER BY id`;
  const seats = await sys.flight.inventory.availableSeats(ids.map((r) => r.id));
  const [flights, ledger, bookings, legs, stats, config, redis] = await Promise.all([
    sys.flightsSql`SELECT * FROM flights ORDER BY id`,
    sys.flightsSql`SELECT * FROM seat_ledger ORDER BY op_id`,
    sys.bookingsSql`SELECT * FROM bookings ORDER BY id`,
    sys.bookingsSql`SELECT * FROM booking_legs ORDER BY booking_id, leg_no`,
    sys.paymentCall("GET", "/api/payments/stats", undefined, admin),
    sys.paymentCall("GET", "/api/payments/config", undefined, admin),
    redisState(sys),
  ]);
  return { seats, flights, ledger, bookings, legs, payments: stats.body, paymentConfig: config.body, redis };
}
