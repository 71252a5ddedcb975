import { setTimeout as sleep } from "node:timers/promises";
import { distanceMiles } from "../../booking-svc/flown/leg-miles.js";
import { mapLimit } from "../../lib/map-limit.js";
import type { Sql } from "../../lib/postgres-plugin.js";
import { type LegRow, milesInvariants } from "../invariants/miles.js";
import { scopeBookings } from "../invariants/reads.js";
import { runLoad } from "../load/run-load.js";
import { BookingTraffic, type Itinerary } from "./booking-traffic.js";
import { bookingTarget } from "./targets.js";
import type { Scenario, ScenarioEnv } from "./types.js";

// Customers earn and spend miles at once: bookings paid in miles and in money (some refused for
// too few miles, some declined), cancellations, on real airports' flights that depart on the
// first whole minute (flight-svc's times are whole minutes) a few seconds after the load and land
// a minute later, so that booking-svc's flown job (every FLOWN_JOB_MS, which `make stress-test`
// sets to 1 s) flies them and user-svc credits the miles. Multi-leg earning is left to the tests:
// a connection would keep the run waiting three minutes more.

/** Seconds between the end of the load and the first departure: pending bookings settle first. */
const LEAD_SECONDS = 8;
const MINUTE = 60_000;
const SEATS = 1_000;
const ROUTES = [
  ["JFK", "LHR"],
  ["LHR", "CDG"],
  ["DEL", "BOM"],
  ["SYD", "AKL"],
] as const;
/** Rich customers pay in miles for as long as the load lasts; poor ones soon run out. */
const RICH = 10_000_000;
const POOR = 2_000;
const CANCEL_SHARE = 0.15;
/** How long the flown job gets, after the last arrival, to fly and credit every leg. */
const FLOWN_WAIT_SECONDS = 60;

const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

async function createLegs(env: ScenarioEnv, earliest: number) {
  const departure = Math.ceil(earliest / MINUTE) * MINUTE;
  const flights: { id: number; departure: number; arrival: number; date: string; distance: number }[] = [];
  for (const [i, [source, destination]] of ROUTES.entries()) {
    const f = await env.services.createFlight({
      flight_number: `SL${(env.tag * 10 + i) % 100_000}`,
      source,
      destination,
      departure_time: iso(departure),
      arrival_time: iso(departure + MINUTE),
      total_seats: SEATS,
      price: 100 + i * 25,
    });
    flights.push({
      id: f.id,
      departure: Date.parse(f.departure_time),
      arrival: Date.parse(f.arrival_time),
      date: f.departure_time.slice(0, 10),
      distance: distanceMiles(source, destination) ?? 0,
    });
  }
  return flights;
}

async function scopeLegs(sql: Sql, afterBookingId: number, userIds: number[], departures: Map<number, number>) {
  const rows = await sql<{ booking_id: number; flight_id: number; flown: boolean; confirmed_at: Date | null }[]>`
    SELECT l.booking_id::int AS booking_id, l.flight_id::int AS flight_id, l.flown_at IS NOT NULL AS flown,
      b.confirmed_at
    FROM booking_legs l JOIN bookings b ON b.id = l.booking_id
    WHERE b.id > ${afterBookingId} AND b.user_id = ANY(${userIds}::bigint[])`;
  return rows.map(
    (r): LegRow => ({
      booking_id: r.booking_id,
      flight_id: r.flight_id,
      flown: r.flown,
      boarded: r.confirmed_at !== null && r.confirmed_at.getTime() < (departures.get(r.flight_id) ?? 0),
    }),
  );
}

export const loyaltyScenario: Scenario = {
  name: "loyalty",
  description:
    "customers book in miles and in money and cancel, on flights that land right after the load; the flown legs earn miles",
  defaults: { durationSeconds: 5, connections: 16 },
  targets: ["booking+cancel"],
  payment: { failure_rate: 0.1, timeout_rate: 0, latency_min_ms: 5, latency_max_ms: 20 },
  async run(env, opts) {
    const sql = env.bookingsSql;
    if (!sql) throw new Error("the loyalty scenario reads bookings_db");
    const userIds = env.customers.map((c) => c.userId);
    const [before] = await sql<{ max: number }[]>`SELECT coalesce(max(id), 0)::int AS max FROM bookings`;
    const afterBookingId = before?.max ?? 0;
    for (const [i, c] of env.customers.entries()) {
      await env.services.adjustMiles(c.userId, i % 2 === 0 ? RICH : POOR, `stress run ${env.tag}`);
    }
    const flights = await createLegs(env, Date.now() + (opts.durationSeconds + LEAD_SECONDS) * 1000);
    const itineraries: Itinerary[] = flights.map((f) => ({ flightIds: [f.id], date: f.date }));
    const traffic = new BookingTraffic(env.rng, env.customers, itineraries, env.tag, {
      maxSeats: 3,
      retryShare: 0.05,
      collectConfirmed: true,
      paymentTypes: ["miles", "miles", "credit_card"],
    });
    const phase = await runLoad(
      {
        name: "loyalty",
        targets: [bookingTarget(env, opts.connections, traffic, CANCEL_SHARE)],
        durationSeconds: opts.durationSeconds,
        ...(opts.requests ? { amount: opts.requests } : {}),
        timeoutSeconds: env.timeoutSeconds,
      },
      env.progress,
    );

    const departures = new Map(flights.map((f) => [f.id, f.departure]));
    const lastArrival = Math.max(...flights.map((f) => f.arrival));
    env.log(`  waiting for the flights to land and the flown job to credit their legs`);
    const deadline = lastArrival + FLOWN_WAIT_SECONDS * 1000;
    for (;;) {
      const legs = await scopeLegs(sql, afterBookingId, userIds, departures);
      const [open] = await sql<{ n: number }[]>`
        SELECT count(*)::int AS n FROM booking_legs l JOIN bookings b ON b.id = l.booking_id
        WHERE b.id > ${afterBookingId} AND b.user_id = ANY(${userIds}::bigint[])
          AND (b.status = 'pending' OR b.step <> 'done' OR (l.flown_at IS NOT NULL AND l.earned_at IS NULL))`;
      const waiting = legs.some((l) => l.boarded && !l.flown) || (open?.n ?? 0) > 0 || Date.now() < lastArrival;
      if (!waiting || Date.now() > deadline) break;
      await sleep(500);
    }

    const scope = { afterBookingId, userIdFrom: Math.min(...userIds), userIdTo: Math.max(...userIds) + 1 };
    const bookings = await scopeBookings(sql, scope);
    const legs = await scopeLegs(sql, afterBookingId, userIds, departures);
    const statements = new Map(
      await mapLimit(env.customers, 4, async (cu) => [cu.userId, await env.services.milesStatement(cu)] as const),
    );
    const records = await mapLimit(bookings, 32, (bk) => env.services.paymentByKey(bk.payment_key));
    const invariants = milesInvariants({
      bookings,
      legs,
      statements,
      distances: new Map(flights.map((f) => [f.id, f.distance])),
      payments: new Map(bookings.map((bk, i) => [bk.id, records[i] ?? null])),
    });
    return {
      phases: [phase],
      outcomes: traffic.outcomes,
      flights: flights.map((f) => ({ id: f.id, prefilled: 0 })),
      idempotency: traffic.idempotency,
      answered: traffic.answered,
      invariants,
    };
  },
};
