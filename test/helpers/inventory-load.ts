import { setTimeout as sleep } from "node:timers/promises";
import type { FastifyInstance } from "fastify";
import { keys } from "../../flight-svc/inventory/keys.js";

/** What a load worker does to the inventory: in-process calls or HTTP, same outcomes. */
export interface InventoryOps {
  hold(flightIds: number[], seats: number): Promise<string | null>;
  confirm(holdId: string): Promise<boolean>;
  release(holdId: string): Promise<void>;
}

export interface LoadStats {
  holds: number;
  confirms: number;
  releases: number;
  cancels: number;
  errors: number;
}

/**
 * Workers that hold a random itinerary over `flights`, then confirm, release or abandon it
 * (to expire), and cancel some confirmed ones, until `signal` aborts. Expected refusals (409,
 * 404) are part of the game; anything else counts as an error. `stats` counts as the load
 * runs, so a test can act once enough has happened rather than after a fixed time, which a
 * loaded machine stretches; `done` gives the final counts.
 */
export function runLoad(
  ops: InventoryOps,
  flights: number[],
  workers: number,
  signal: AbortSignal,
  onError: (err: unknown) => void = () => {},
): { stats: LoadStats; done: Promise<LoadStats> } {
  const stats: LoadStats = { holds: 0, confirms: 0, releases: 0, cancels: 0, errors: 0 };
  let seed = 7;
  const rand = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return Math.floor(seed / 65_536) % n;
  };
  const worker = async () => {
    while (!signal.aborted) {
      try {
        const first = rand(flights.length);
        const second = (first + 1 + rand(flights.length - 1)) % flights.length;
        const legs = (rand(2) === 0 ? [first] : [first, second]).map((i) => flights[i] as number);
        const id = await ops.hold(legs, 1 + rand(3));
        if (!id) continue;
        stats.holds++;
        const choice = rand(10);
        if (choice < 6) {
          if (await ops.confirm(id)) {
            stats.confirms++;
            if (rand(4) === 0) {
              await ops.release(id);
              stats.cancels++;
            }
          }
        } else if (choice < 8) {
          await ops.release(id);
          stats.releases++;
        }
      } catch (err) {
        stats.errors++;
        onError(err);
        await sleep(20);
      }
    }
  };
  return { stats, done: Promise.all(Array.from({ length: workers }, worker)).then(() => stats) };
}

/** The inventory itself as InventoryOps (refusals are the AppErrors with 4xx statuses). */
export function inProcessOps(app: FastifyInstance, ttlSeconds: number): InventoryOps {
  // Refusals (404, 409) are expected outcomes; anything else is rethrown.
  const refused =
    <T>(value: T) =>
    (err: unknown): T => {
      const s = (err as { statusCode?: number }).statusCode;
      if (s !== 404 && s !== 409) throw err;
      return value;
    };
  return {
    hold: (flightIds, seats) =>
      app.inventory.placeHold({ flightIds, seats, ttlSeconds }).then((h) => h.hold_id, refused(null)),
    confirm: (id) => app.inventory.confirmHold(id).then(() => true, refused(false)),
    release: (id) => app.inventory.releaseHold(id).then(() => undefined, refused(undefined)),
  };
}

export interface FlightState {
  id: number;
  total: number;
  booked: number;
  ledgerBooked: number;
  available: number | null;
}

/**
 * Lets every hold end (sweeps as if half an hour had passed), then reads each flight's
 * PostgreSQL seats, what the ledger says was booked, and the Redis counter.
 */
export async function quiesce(app: FastifyInstance, flights: number[], seedBooked = 0): Promise<FlightState[]> {
  for (;;) {
    const r = await app.inventory.sweepOnce(Date.now() + 31 * 60_000);
    if (r.expired === 0 && r.settled === 0) break;
  }
  const available = await app.inventory.availableSeats(flights);
  const rows = await app.sql<{ id: number; total: number; booked: number; ledger: number }[]>`
    SELECT f.id::int, f.total_seats AS total, f.booked_seats AS booked,
      (SELECT coalesce(sum(l.seats), 0)::int FROM seat_ledger l
       WHERE l.status = 'confirmed' AND f.id = ANY(l.flight_ids)) AS ledger
    FROM flights f WHERE f.id = ANY(${flights}::bigint[]) ORDER BY f.id`;
  return rows.map((r) => ({
    id: r.id,
    total: r.total,
    booked: r.booked,
    ledgerBooked: r.ledger + seedBooked,
    available: available[flights.indexOf(r.id)] ?? null,
  }));
}

/** Holds and pending returns left in Redis after quiescence (there should be none). */
export async function leftovers(app: FastifyInstance, flights: number[]): Promise<number> {
  let n = 0;
  for (const f of flights)
    n += (await app.redis.hlen(keys.flightHolds(f))) + (await app.redis.hlen(keys.flightReturns(f)));
  return n;
}

/** The inventory over HTTP, as booking-svc uses it. */
export function httpOps(baseUrl: () => string, ttlSeconds: number): InventoryOps {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${baseUrl()}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status >= 500) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return { status: res.status, json };
  };
  return {
    hold: async (flightIds, seats) => {
      const r = await call("POST", "/api/flights/holds", { flight_ids: flightIds, seats, ttl_seconds: ttlSeconds });
      return r.status === 201 ? String(r.json.hold_id) : null;
    },
    confirm: async (id) => (await call("POST", `/api/flights/holds/${id}/confirm`)).status === 200,
    release: async (id) => {
      await call("DELETE", `/api/flights/holds/${id}`);
    },
  };
}
