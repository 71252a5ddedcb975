import type { FastifyInstance } from "fastify";
import { buildApp } from "../../flight-svc/app.js";
import type { FlightConfig } from "../../flight-svc/config.js";
import type { FlightRow as DemoFlightRow } from "../../flight-svc/data/flight-row.js";
import { loadFlights } from "../../flight-svc/data/load-flights.js";
import { SAMPLE_FLIGHTS } from "../../flight-svc/data/sample-flights.js";
import type { LogStream } from "../../lib/fastify-options.js";
import type { Sql } from "../../lib/postgres-plugin.js";
import type { Auth } from "./auth.js";
import { testFlightConfig } from "./config.js";
import { resetStores } from "./reset.js";

export interface FlightBuildOptions {
  /** Settings over the test environment's. */
  env?: Record<string, string>;
  /** Tokens from this user-svc are required (AUTH_MODE=required); else the open API. */
  auth?: Auth;
  /** Loaded (with their fixed ids, as the demo data does) after the reset; none by default. */
  flights?: readonly DemoFlightRow[];
  /** false: Redis and PostgreSQL stay as they are (a second instance beside a running one). */
  reset?: boolean;
  logStream?: LogStream;
  /** Listen on 127.0.0.1 (a free port) for tests that talk real HTTP; `url` is then set. */
  listen?: boolean;
}

/**
 * flight-svc built as its server builds it, on the test file's stores: emptied (see reset.ts),
 * `flights` loaded and the search index reloaded from them; closed on teardown. The periodic
 * index refresh is an hour unless `env` says otherwise: the tests reload it when they change
 * flights behind its back.
 */
export async function build(
  t: { teardown: (fn: () => unknown) => void },
  opts: FlightBuildOptions = {},
): Promise<{ app: FastifyInstance; config: FlightConfig; url: string }> {
  const config = testFlightConfig({ ...opts.auth?.env, SCHEDULE_REFRESH_MS: "3600000", ...opts.env });
  const app = await buildApp({ config, logStream: opts.logStream });
  t.teardown(() => app.close());
  await app.ready();
  if (opts.reset !== false) {
    await resetStores(app.redis, app.sql);
    if (opts.flights) await loadFlights(app.sql, opts.flights);
    await app.timetable.reload();
  }
  const url = opts.listen ? await app.listen({ host: "127.0.0.1", port: 0 }) : "";
  return { app, config, url };
}

/** A flight as a test seeds it: everything defaults, DEL→BOM on 2024-02-15 08:00 for two hours. */
export interface FlightSeed {
  source?: string;
  destination?: string;
  departure?: string;
  minutes?: number;
  total?: number;
  booked?: number;
  price?: number;
  status?: "scheduled" | "delayed" | "cancelled";
}

/** The original's 16 sample flights as seeds, booked seats included: the data the stress harness expects. */
export function sampleFlightSeeds(): FlightSeed[] {
  return SAMPLE_FLIGHTS.map((f) => ({
    source: f.source,
    destination: f.destination,
    departure: f.departure_time.toISOString(),
    minutes: (f.arrival_time.getTime() - f.departure_time.getTime()) / 60_000,
    total: f.total_seats,
    booked: f.booked_seats,
    price: f.price,
  }));
}

/** Inserts flights straight into flights_db (ids 1, 2, … after a reset); returns their ids. */
export async function seedFlights(sql: Sql, seeds: FlightSeed[]): Promise<number[]> {
  const ids: number[] = [];
  for (const [i, s] of seeds.entries()) {
    const dep = new Date(s.departure ?? "2024-02-15T08:00:00Z");
    const arr = new Date(dep.getTime() + (s.minutes ?? 120) * 60_000);
    const [row] = await sql<{ id: string }[]>`
      INSERT INTO flights (flight_number, airline, source, destination, departure_time, arrival_time,
                           total_seats, booked_seats, price, status)
      VALUES (${`SB${100 + i}`}, 'Skybook Test', ${s.source ?? "DEL"}, ${s.destination ?? "BOM"}, ${dep}, ${arr},
              ${s.total ?? 100}, ${s.booked ?? 0}, ${s.price ?? 5000}, ${s.status ?? "scheduled"})
      RETURNING id`;
    ids.push(Number(row?.id));
  }
  return ids;
}

export async function bookedSeats(sql: Sql, id: number): Promise<number> {
  const [row] = await sql<{ booked_seats: number }[]>`SELECT booked_seats FROM flights WHERE id = ${id}`;
  return row?.booked_seats as number;
}
