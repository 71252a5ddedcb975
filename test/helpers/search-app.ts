import type { FastifyInstance } from "fastify";
import { buildApp } from "../../flight-svc/app.js";
import type { FlightConfig } from "../../flight-svc/config.js";
import { type FlightRow, loadFlights, SAMPLE_FLIGHTS } from "../../scripts/data/generate.js";
import { testFlightConfig } from "./config.js";

export interface SearchAppOptions {
  /** Flights loaded after the reset; the original's sample by default. */
  flights?: readonly FlightRow[];
  overrides?: Record<string, string>;
  /** Leave Redis and PostgreSQL as they are (a second instance of a running test). */
  keepData?: boolean;
}

/**
 * A flight-svc app for search tests: Redis flushed, flights replaced by `flights`, the search
 * index reloaded from them; closed on teardown.
 */
export async function searchApp(
  t: { teardown: (fn: () => unknown) => void },
  opts: SearchAppOptions = {},
): Promise<{ app: FastifyInstance; config: FlightConfig }> {
  const config = testFlightConfig({ SCHEDULE_REFRESH_MS: "3600000", ...opts.overrides });
  const app = await buildApp({ config });
  t.teardown(() => app.close());
  await app.ready();
  if (!opts.keepData) {
    await app.redis.flushall();
    await app.sql`TRUNCATE flights, seat_ledger RESTART IDENTITY CASCADE`;
    await loadFlights(app.sql, opts.flights ?? SAMPLE_FLIGHTS);
  }
  await app.timetable.reload();
  return { app, config };
}

export interface SearchArgs {
  source: string;
  destination: string;
  date?: string;
  seats?: number;
  sort_by?: string;
  max_stops?: number;
  limit?: number;
}

export function searchUrl(args: SearchArgs): string {
  const q = new URLSearchParams({
    date: "2024-02-15",
    ...Object.fromEntries(Object.entries(args).map(([k, v]) => [k, String(v)])),
  });
  return `/api/flights/search?${q}`;
}

interface PathBody {
  flights: { flight_number: string; available_seats: number; price: number }[];
  total_price: number;
  total_time_minutes: number;
  stops: number;
  available_seats: number;
}

/** The flight numbers of each path, e.g. [["AI201"], ["AI401", "AI402"]]. */
export function numbers(body: { paths: PathBody[] }): string[][] {
  return body.paths.map((p) => p.flights.map((f) => f.flight_number));
}

export async function search(app: FastifyInstance, args: SearchArgs): Promise<{ paths: PathBody[]; count: number }> {
  const res = await app.inject({ method: "GET", url: searchUrl(args) });
  if (res.statusCode !== 200) throw new Error(`search ${res.statusCode}: ${res.body}`);
  return res.json();
}
