import { mapLimit } from "../api.js";
import { seatAssignmentInvariants } from "../invariants/seat-assignments.js";
import { targetPhase } from "./booking-phase.js";
import { type CheckInBooking, CheckInTraffic } from "./check-in-traffic.js";
import { createFlights, type FlightPlan } from "./fixtures.js";
import type { Scenario, ScenarioEnv } from "./types.js";

const FLIGHTS = 4;
const TOTAL_SEATS = 27;
// Left unsold, so that a passenger who asks for a seat may find it free: the flights are nearly full.
const UNSOLD = 3;
// Check-in is open: the flights leave in three hours (CHECKIN_OPENS_HOURS is at least one).
const DEPARTS_IN_MINUTES = 180;
const CANCEL_SHARE = 0.03;

/** The scenario's flights, leaving soon, and bookings for all but UNSOLD of their seats. */
async function soldOutFlights(env: ScenarioEnv): Promise<{ ids: number[]; bookings: CheckInBooking[] }> {
  const departure = new Date(Date.now() + DEPARTS_IN_MINUTES * 60_000);
  const date = departure.toISOString().slice(0, 10);
  const minute = departure.getUTCHours() * 60 + departure.getUTCMinutes();
  const plans: FlightPlan[] = Array.from({ length: FLIGHTS }, (_, i) => ({
    source: i % 2 === 0 ? "QSA" : "QSC",
    destination: i % 2 === 0 ? "QSB" : "QSD",
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
    const r = await env.services.booking.call<{ booking_id?: number; status?: string }>(
      "POST",
      "/api/bookings",
      body,
      auth,
    );
    if (r.status !== 200 || r.body.status !== "confirmed" || !r.body.booking_id) {
      throw new Error(`check-in setup: booking on flight ${w.flightId} answered ${r.status} ${JSON.stringify(r.body)}`);
    }
    return { id: r.body.booking_id, flightId: w.flightId, totalSeats: TOTAL_SEATS, account };
  });
  return { ids: flights.map((f) => f.id), bookings: made };
}

export const checkInScenario: Scenario = {
  name: "check-in",
  description: `concurrent check-ins on ${FLIGHTS} nearly full flights (${TOTAL_SEATS - UNSOLD} of ${TOTAL_SEATS} seats sold): half ask for a seat, ${CANCEL_SHARE * 100}% of bookings cancelled meanwhile`,
  defaults: { durationSeconds: 6, connections: 32 },
  payment: { failure_rate: 0, timeout_rate: 0, latency_min_ms: 0, latency_max_ms: 5 },
  async run(env, opts) {
    const { ids, bookings } = await soldOutFlights(env);
    env.log(`  ${bookings.length} bookings on ${ids.length} flights leaving in ${DEPARTS_IN_MINUTES} min`);
    const traffic = new CheckInTraffic(env.rng, bookings, CANCEL_SHARE);
    const phase = await targetPhase(
      env,
      opts,
      {
        name: "check-in",
        url: env.services.urls.booking,
        connections: opts.connections,
        request: {
          setupRequest: (req, ctx) => traffic.next(req, ctx as object),
          onResponse: (status, body, ctx) => traffic.answer(status, body, ctx as object),
        },
      },
      "check-in",
    );
    return {
      phases: [phase],
      outcomes: traffic.outcomes,
      flights: ids.map((id) => ({ id, prefilled: 0 })),
      checks: (stores) => seatAssignmentInvariants(stores, ids),
    };
  },
};
