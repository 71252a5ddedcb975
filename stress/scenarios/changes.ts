import { mapLimit } from "../../lib/map-limit.js";
import type { Account } from "../accounts.js";
import { targetPhase } from "./booking-phase.js";
import { type Changeable, ChangeTraffic } from "./change-traffic.js";
import { createNetwork } from "./networks.js";
import type { Scenario } from "./types.js";

const TOTAL_SEATS = 60;
const FREE_SEATS = 14;
const FLIGHTS = 6;
const SETUP_CONCURRENCY = 8;

export const changesScenario: Scenario = {
  name: "changes",
  description: `concurrent changes of confirmed bookings between ${FLIGHTS} nearly full flights (${FREE_SEATS} of ${TOTAL_SEATS} seats free, half of them booked first); 10% of charges declined`,
  defaults: { durationSeconds: 6, connections: 32 },
  targets: ["change"],
  payment: { failure_rate: 0.1, timeout_rate: 0, latency_min_ms: 5, latency_max_ms: 20 },
  async run(env, opts) {
    const net = await createNetwork(env, FLIGHTS, TOTAL_SEATS, FREE_SEATS);
    const direct = net.flights.slice(0, FLIGHTS);
    // Even flights fly QSA→QSB, odd ones QSC→QSD (networks.ts): a booking moves within its route.
    const routes = [direct.filter((_, i) => i % 2 === 0), direct.filter((_, i) => i % 2 === 1)];
    const wanted = direct.flatMap((f, i) => Array.from({ length: FREE_SEATS / 2 }, (_, n) => ({ f, i, n })));
    const flightOf = new Map<number, number>();
    const made = await mapLimit(wanted, SETUP_CONCURRENCY, async ({ f, i, n }): Promise<Changeable | null> => {
      const account = env.customers[n % env.customers.length] as Account;
      const r = await env.services.booking.call<{ booking_id?: number; status?: string }>(
        "POST",
        "/api/bookings",
        { flight_id: f.id, seats: 1, date: f.date },
        { authorization: account.authorization },
      );
      if (r.status !== 200 || r.body.status !== "confirmed" || !r.body.booking_id) return null;
      flightOf.set(r.body.booking_id, f.id);
      const route = (routes[i % 2] ?? []).map((x) => x.id);
      return { id: r.body.booking_id, account, route, date: f.date };
    });
    const bookings = made.filter((b): b is Changeable => b !== null);
    env.log(`  ${bookings.length} confirmed bookings to change`);
    const traffic = new ChangeTraffic(env.rng, bookings, flightOf);
    const phase = await targetPhase(env, opts, [traffic.target(env, opts.connections)], "changes");
    return { phases: [phase], outcomes: traffic.outcomes, flights: net.flights, changes: true };
  },
};
