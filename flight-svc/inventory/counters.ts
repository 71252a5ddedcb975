import { setTimeout as sleep } from "node:timers/promises";
import { AppError } from "../../lib/errors.js";
import type { Sql } from "../../lib/postgres-plugin.js";
import { getMany } from "../../lib/redis-nodes.js";
import type { RedisClient } from "../../lib/redis-plugin.js";
import { LuaCode } from "./codes.js";
import { flightKeys } from "./key-layout.js";
import { keys } from "./keys.js";

const INIT_ATTEMPTS = 50;
// Long enough for a probe, one SQL statement and a set on a busy machine; short enough that
// the steps waiting for it barely notice when an initialising process dies.
const INIT_LOCK_MS = 1_000;

interface Snapshot {
  free: number;
  bookedHolds: string[];
  returned: string[];
}

/**
 * Seat counters: read in one round trip per Redis node, initialised from PostgreSQL when missing.
 *
 * Why initialisation cannot count a seat twice (DESIGN.md invariants 1 and 2): the counter must
 * equal total − booked − seats held in RedisClient and not yet booked. init-probe reads the epoch and
 * the ids of the flight's holds and pending returns; ONE SQL statement (one snapshot) reads
 * total and booked and which of those ids the ledger says were already committed; init-counter
 * sets the counter only if the epoch did not move, dropping the committed ids so nothing is
 * subtracted (or given back) twice. Every RedisClient step that follows a PostgreSQL commit bumps
 * the epoch, so a commit that the snapshot missed and whose RedisClient step already ran makes the
 * init start again; a commit whose RedisClient step runs after the init finds the counter set and
 * does its usual step. While an init runs, those steps wait for it (init-probe takes a short
 * lock), so a flight with a steady stream of confirms cannot keep it retrying. Concurrent
 * inits: init-counter only sets a missing counter.
 */
export class SeatCounters {
  private readonly inflight = new Map<number, Promise<number | null>>();
  /** Counters this process rebuilt from PostgreSQL (read by /metrics). */
  initialised = 0;

  constructor(
    private readonly redis: RedisClient,
    private readonly sql: Sql,
  ) {}

  /** Seats free now, in the order given; null for a flight that does not exist. */
  async availableSeats(flightIds: number[]): Promise<(number | null)[]> {
    if (flightIds.length === 0) return [];
    const values = await getMany(
      this.redis,
      flightIds.map((id) => keys.seatsAvailable(id)),
    );
    return Promise.all(
      values.map(async (v, i) => {
        const n = v === null ? await this.ensure(flightIds[i] as number) : Number(v);
        return n === null ? null : Math.max(0, n);
      }),
    );
  }

  /** The counter (initialised if missing, one init per flight at a time in this process). */
  ensure(flightId: number): Promise<number | null> {
    let p = this.inflight.get(flightId);
    if (!p) {
      p = this.init(flightId).finally(() => this.inflight.delete(flightId));
      this.inflight.set(flightId, p);
    }
    return p;
  }

  async adjustTotalSeats(flightId: number, delta: number): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const [code, value] = await this.redis.invAdjustTotal(keys.seatsAvailable(flightId), delta);
      if (code === LuaCode.OK) return;
      if (code === LuaCode.NOT_ENOUGH_SEATS) {
        throw new AppError("not_enough_seats", "More seats are held or booked than the new total allows.", {
          flight_id: flightId,
          available_seats: Math.max(0, Number(value)),
        });
      }
      if ((await this.ensure(flightId)) === null) {
        throw new AppError("flight_not_found", undefined, { flight_id: flightId });
      }
    }
    throw new AppError("service_unavailable", "The seat counter could not be initialised.");
  }

  private async init(flightId: number): Promise<number | null> {
    const fk = flightKeys(flightId);
    for (let attempt = 0; attempt < INIT_ATTEMPTS; attempt++) {
      const probe = await this.redis.invInitProbe(...fk, INIT_LOCK_MS);
      if (probe[0] === LuaCode.OK) return Number(probe[1]);
      const [, epoch, holdIds, returnIds] = probe as [number, number, string[], string[]];
      const snap = await this.snapshot(flightId, holdIds, returnIds);
      if (snap === null) return null;
      const reply = await this.redis.invInitCounter(
        ...fk,
        epoch,
        snap.free,
        snap.bookedHolds.length,
        ...snap.bookedHolds,
        ...snap.returned,
      );
      if (reply[0] === LuaCode.OK) {
        this.initialised++;
        return Number(reply[1]);
      }
      await sleep(Math.min(2 + attempt * 2, 50));
    }
    throw new AppError("service_unavailable", "The seat counter could not be initialised.", { flight_id: flightId });
  }

  private async snapshot(flightId: number, holdIds: string[], returnIds: string[]): Promise<Snapshot | null> {
    const rows = await this.sql<{ free: number; booked_holds: string[]; returned: string[] }[]>`
      SELECT f.total_seats - f.booked_seats AS free,
        ARRAY(SELECT op_id FROM seat_ledger
              WHERE op_id = ANY(${holdIds}::text[]) AND status IN ('confirmed', 'cancelled')) AS booked_holds,
        ARRAY(SELECT op_id FROM seat_ledger
              WHERE op_id = ANY(${returnIds}::text[]) AND status = 'cancelled') AS returned
      FROM flights f WHERE f.id = ${flightId}`;
    const row = rows[0];
    return row ? { free: row.free, bookedHolds: row.booked_holds, returned: row.returned } : null;
  }
}
