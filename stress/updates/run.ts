import pLimit from "p-limit";
import { EVENTS_STREAM, parseEntry } from "../../contracts/events/stream.js";
import type { RedisClient } from "../../lib/redis-plugin.js";
import { signAccessToken } from "../../user-svc/tokens.js";
import {
  type BookingOutcome,
  checkDelivery,
  checkDisruption,
  checkMoney,
  type ObservedEvent,
  type Violation,
} from "./invariants.js";
import { connectSubscriber, type Subscriber } from "./subscribers.js";
import { startUpdatesSystem } from "./system.js";

export interface UpdatesScenarioOptions {
  subscribers: number;
  flights: number;
  /** Flights each subscriber follows. */
  flightsPerSubscriber: number;
  durationMs: number;
  /** Booking requests in flight at once. */
  bookers: number;
  /** How often a flight is delayed or cancelled. */
  changeEveryMs: number;
  seed: number;
}

export interface UpdatesReport {
  options: UpdatesScenarioOptions;
  events: number;
  cancelledFlights: number;
  updatesDelivered: number;
  latencyMs: { p50: number; p99: number; max: number };
  bookings: { made: number; confirmed: number; cancelledForFlight: number; failed: number };
  refunds: number;
  subscribersDropped: number;
  violations: Violation[];
}

type Json = Record<string, unknown>;

async function call(
  url: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
}

/** A small deterministic generator, so a run can be repeated. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

async function lastStreamId(redis: RedisClient): Promise<string> {
  const [last] = (await redis.xrevrange(EVENTS_STREAM, "+", "-", "COUNT", 1)) as [string, string[]][];
  return last?.[0] ?? "0-0";
}

async function flightEventsAfter(redis: RedisClient, from: string, flights: Set<number>): Promise<ObservedEvent[]> {
  const entries = (await redis.xrange(EVENTS_STREAM, `(${from}`, "+")) as [string, string[]][];
  const out: ObservedEvent[] = [];
  for (const [id, fields] of entries) {
    const ev = parseEntry(id, fields);
    if (ev?.type === "flight" && flights.has(ev.body.flight_id)) out.push({ id, flightId: ev.body.flight_id });
  }
  return out;
}

async function until(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return check();
}

/**
 * Issue 19's scenario: subscribers over two user-svc instances follow flights that are delayed
 * and cancelled while bookings are made on them through two booking-svc instances; then every
 * subscriber must have every update of its flights once and in order, every booking on a
 * cancelled flight must be cancelled and refunded once, and money must balance.
 */
export async function runUpdatesScenario(
  opts: UpdatesScenarioOptions,
  env: Record<string, string | undefined> = process.env,
): Promise<UpdatesReport> {
  const random = rng(opts.seed);
  const sys = await startUpdatesSystem(env);
  const subscribers: Subscriber[] = [];
  try {
    const flightIds: number[] = [];
    const stamp = Date.now() % 100_000;
    for (let i = 0; i < opts.flights; i++) {
      const hour = String(6 + (i % 12)).padStart(2, "0");
      const r = await call(sys.flightUrl, "POST", "/api/flights", {
        flight_number: `SU${stamp + i}`.slice(0, 8),
        source: "DEL",
        destination: "BOM",
        departure_time: `2024-02-15T${hour}:00:00Z`,
        arrival_time: `2024-02-15T${hour}:50:00Z`,
        total_seats: 1000,
        price: 1000 + i,
      });
      if (r.status !== 201) throw new Error(`flight not created: ${JSON.stringify(r.body)}`);
      flightIds.push(r.body.id as number);
    }
    const userBase = 900_000_000 + stamp * 10_000;
    const connect = pLimit(50);
    const built = await Promise.all(
      Array.from({ length: opts.subscribers }, (_, i) =>
        connect(async () => {
          const instance = sys.users[i % 2] as (typeof sys.users)[number];
          const userId = userBase + i;
          const mine = new Set<number>();
          while (mine.size < Math.min(opts.flightsPerSubscriber, flightIds.length)) {
            mine.add(flightIds[Math.floor(random() * flightIds.length)] as number);
          }
          const token = await signAccessToken(instance.app.signingKey, instance.config.user, userId, "customer");
          return connectSubscriber(instance.url, token, userId, [...mine]);
        }),
      ),
    );
    subscribers.push(...built);
    const redis = sys.flight.redis;
    const from = await lastStreamId(redis);

    const stopAt = Date.now() + opts.durationMs;
    const bookingIds: number[] = [];
    const booker = async (n: number) => {
      for (let k = 0; Date.now() < stopAt; k++) {
        const s = subscribers[Math.floor(random() * subscribers.length)] as Subscriber;
        const flight = s.flights[Math.floor(random() * s.flights.length)] as number;
        const url = sys.bookingUrls[(n + k) % 2] as string;
        const r = await call(url, "POST", "/api/bookings", {
          user_id: s.userId,
          flight_id: flight,
          seats: 1,
          date: "2024-02-15",
        }).catch(() => null);
        if (typeof r?.body.booking_id === "number") bookingIds.push(r.body.booking_id);
      }
    };
    const cancelled = new Set<number>();
    const delays = new Map<number, number>();
    // Every third change cancels a flight (up to a third of them); the others delay one by 15 minutes.
    const changer = async () => {
      for (let k = 0; Date.now() < stopAt; k++) {
        await new Promise((r) => setTimeout(r, opts.changeEveryMs));
        const open = flightIds.filter((f) => !cancelled.has(f));
        const f = open[Math.floor(random() * open.length)];
        if (f === undefined) return;
        if (k % 3 === 1 && cancelled.size < flightIds.length / 3) {
          cancelled.add(f);
          await call(sys.flightUrl, "PATCH", `/api/flights/${f}`, { status: "cancelled" });
          continue;
        }
        const late = (delays.get(f) ?? 0) + 15;
        delays.set(f, late);
        const i = flightIds.indexOf(f);
        const dep = new Date(Date.UTC(2024, 1, 15, 6 + (i % 12), late));
        await call(sys.flightUrl, "PATCH", `/api/flights/${f}`, {
          status: "delayed",
          departure_time: dep.toISOString(),
          arrival_time: new Date(dep.getTime() + 50 * 60_000).toISOString(),
        });
      }
    };
    await Promise.all([...Array.from({ length: opts.bookers }, (_, n) => booker(n)), changer()]);

    const lookup = pLimit(32);
    const outcomes = async (): Promise<BookingOutcome[]> =>
      Promise.all(
        bookingIds.map((id) =>
          lookup(async () => {
            const b = (await call(sys.bookingUrls[0] as string, "GET", `/api/bookings/${id}`)).body;
            const p = b.payment_id ? await call(sys.paymentUrl, "GET", `/api/payments/${b.payment_id}`) : null;
            const paid = p?.status === 200 && p.body.status === "success" ? Number(p.body.amount) : 0;
            return {
              bookingId: id,
              status: String(b.status),
              cancelReason: (b.cancel_reason as string | null) ?? null,
              flightIds: b.flight_ids as number[],
              totalAmount: Number(b.total_amount),
              paid,
              refunded: paid > 0 ? Number(p?.body.refunded_amount ?? 0) : 0,
            };
          }),
        ),
      );
    let final: BookingOutcome[] = [];
    await until(async () => {
      final = await outcomes();
      return checkDisruption(final, cancelled).length === 0 && final.every((b) => b.status !== "pending");
    }, 60_000);

    const followed = new Set(subscribers.flatMap((s) => s.flights));
    const events = await flightEventsAfter(redis, from, followed);
    const expectedCount = (s: Subscriber) => events.filter((e) => s.flights.includes(e.flightId)).length;
    await until(async () => subscribers.every((s) => s.closed || s.received.length >= expectedCount(s)), 30_000);

    const violations = [
      ...checkDelivery(
        events,
        subscribers.map((s) => ({ userId: s.userId, flights: s.flights, received: s.received })),
      ),
      ...checkDisruption(final, cancelled),
      ...checkMoney(final),
    ];
    const latencies = subscribers.flatMap((s) => s.latencies).sort((a, b) => a - b);
    return {
      options: opts,
      events: events.length,
      cancelledFlights: cancelled.size,
      updatesDelivered: latencies.length,
      latencyMs: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), max: latencies.at(-1) ?? 0 },
      bookings: {
        made: final.length,
        confirmed: final.filter((b) => b.status === "confirmed").length,
        cancelledForFlight: final.filter((b) => b.cancelReason === "flight_cancelled").length,
        failed: final.filter((b) => b.status === "failed").length,
      },
      refunds: final.filter((b) => b.refunded > 0).length,
      subscribersDropped: subscribers.filter((s) => s.closed).length,
      violations,
    };
  } finally {
    for (const s of subscribers) s.socket.terminate();
    await sys.close();
  }
}
