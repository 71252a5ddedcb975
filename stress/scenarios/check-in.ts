import { setTimeout as sleep } from "node:timers/promises";
import { mapLimit } from "../../lib/map-limit.js";
import { seatAssignmentInvariants } from "../invariants/seat-assignments.js";
import { targetPhase } from "./booking-phase.js";
import { type Changeable, ChangeTraffic } from "./change-traffic.js";
import { type CheckInBooking, CheckInTraffic } from "./check-in-traffic.js";
import { createFlights, type FlightPlan } from "./fixtures.js";
import type { Scenario, ScenarioEnv } from "./types.js";

// Three flights on each of two routes: a change moves a booking to another flight of its route.
const FLIGHTS = 6;
const ROUTES = 2;
const TOTAL_SEATS = 27;
// Left unsold, so that a passenger who asks for a seat may find it free: the flights are nearly full.
const UNSOLD = 3;
// Check-in is open: the flights leave in three hours (CHECKIN_OPENS_HOURS is at least one).
const DEPARTS_IN_MINUTES = 180;
const CANCEL_SHARE = 0.03;
// The share of the connections that change bookings while the others check in.
const CHANGE_CONNECTIONS = 0.5;
/** How long setup waits for a booking answered 202 (paid, seats being confirmed) to settle. */
const SETTLE_MS = 30_000;

const DAY_MINUTES = 24 * 60;

/**
 * When `count` flights leave, one a minute from about DEPARTS_IN_MINUTES after `now`: all on one
 * UTC day, since a booking names its flight's departure date and a change moves a booking between
 * them with its date. Near midnight they leave a few minutes earlier rather than straddle it.
 */
export function departures(now: number, count: number): { date: string; minute: number } {
  const departure = new Date(now + DEPARTS_IN_MINUTES * 60_000);
  const minute = departure.getUTCHours() * 60 + departure.getUTCMinutes();
  return { date: departure.toISOString().slice(0, 10), minute: Math.min(minute, DAY_MINUTES - count) };
}

/** The scenario's flights, leaving soon, and bookings for all but UNSOLD of their seats. */
async function soldOutFlights(env: ScenarioEnv): Promise<{ ids: number[]; date: string; bookings: CheckInBooking[] }> {
  const { date, minute } = departures(Date.now(), FLIGHTS);
  const plans: FlightPlan[] = Array.from({ length: FLIGHTS }, (_, i) => ({
    source: i % ROUTES === 0 ? "QSA" : "QSC",
    destination: i % ROUTES === 0 ? "QSB" : "QSD",
    departs: minute + i,
    minutes: 80,
    totalSeats: TOTAL_SEATS,
    freeSeats: TOTAL_SEATS,
    price: 3000 + i * 100,
  }));
  const flights = await createFlights(env, date, plans);
  const wanted = flights.flatMap((f) => {
    const out: { flightId: number; date: string; seats: number }[] = [];
    for (let left = TOTAL_SEATS - UNSOLD; left > 0; ) {
      const seats = Math.min(left, env.rng.int(1, 2));
      out.push({ flightId: f.id, date: f.date, seats });
      left -= seats;
    }
    return out;
  });
  const made = await mapLimit(wanted, 8, async (w) => {
    const account = env.rng.pick(env.customers);
    const body = { user_id: account.userId, flight_id: w.flightId, seats: w.seats, date: w.date };
    const auth: Record<string, string> = account.authorization ? { authorization: account.authorization } : {};
    let r = await env.services.booking.call<{ booking_id?: number; status?: string }>(
      "POST",
      "/api/bookings",
      body,
      auth,
    );
    // 202: paid, its seats still being confirmed (a slow flight-svc); the booking settles shortly.
    for (const deadline = Date.now() + SETTLE_MS; r.status === 202 && r.body.booking_id && Date.now() < deadline; ) {
      await sleep(200);
      const read = await env.services.booking.call<{ status?: string }>(
        "GET",
        `/api/bookings/${r.body.booking_id}`,
        undefined,
        auth,
      );
      if (read.status === 200 && read.body.status !== "pending") r = { status: 200, body: { ...r.body, ...read.body } };
    }
    if (r.status !== 200 || r.body.status !== "confirmed" || !r.body.booking_id) {
      throw new Error(`check-in setup: booking on flight ${w.flightId} answered ${r.status} ${JSON.stringify(r.body)}`);
    }
    return { id: r.body.booking_id, flightId: w.flightId, totalSeats: TOTAL_SEATS, account };
  });
  return { ids: flights.map((f) => f.id), date, bookings: made };
}

/** The bookings as changes see them: each may move to the other flights of its route. */
function changeables(ids: number[], date: string, bookings: CheckInBooking[]): Changeable[] {
  const route = (flightId: number) => ids.filter((_, i) => i % ROUTES === ids.indexOf(flightId) % ROUTES);
  return bookings.map((b) => ({ id: b.id, account: b.account, route: route(b.flightId), date }));
}

export const checkInScenario: Scenario = {
  name: "check-in",
  description: `concurrent check-ins and changes on ${FLIGHTS} nearly full flights (${TOTAL_SEATS - UNSOLD} of ${TOTAL_SEATS} seats sold): half ask for a seat, ${CANCEL_SHARE * 100}% of bookings cancelled meanwhile, bookings moved between the flights of their route`,
  defaults: { durationSeconds: 6, connections: 32 },
  targets: ["check-in", "change"],
  payment: { failure_rate: 0, timeout_rate: 0, latency_min_ms: 0, latency_max_ms: 5 },
  async run(env, opts) {
    const { ids, date, bookings } = await soldOutFlights(env);
    env.log(`  ${bookings.length} bookings on ${ids.length} flights leaving in about ${DEPARTS_IN_MINUTES} min`);
    const changes = new ChangeTraffic(
      env.rng,
      changeables(ids, date, bookings),
      new Map(bookings.map((b) => [b.id, b.flightId])),
    );
    const checkIns = new CheckInTraffic(env.rng, bookings, CANCEL_SHARE, (id) => changes.flightNow(id));
    const changing = Math.max(1, Math.round(opts.connections * CHANGE_CONNECTIONS));
    const phase = await targetPhase(
      env,
      opts,
      [checkIns.target(env, Math.max(1, opts.connections - changing)), changes.target(env, changing)],
      "check-in",
    );
    return {
      phases: [phase],
      outcomes: { ...checkIns.outcomes, ...changes.outcomes },
      flights: ids.map((id) => ({ id, prefilled: 0 })),
      changes: true,
      checks: (stores) => seatAssignmentInvariants(stores, ids),
    };
  },
};
