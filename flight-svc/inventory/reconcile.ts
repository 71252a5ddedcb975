import type { Sql } from "../../lib/postgres-plugin.js";
import { pipelineByNode } from "../../lib/redis-nodes.js";
import type { RedisClient } from "../../lib/redis-plugin.js";
import { checkSeatMaps, type SeatMapDrift } from "../seating/reconcile-seats.js";
import type { SeatsRepo } from "../seating/repo.js";
import { LuaCode } from "./codes.js";
import type { SeatCounters } from "./counters.js";
import { flightKeys } from "./key-layout.js";
import { keys } from "./keys.js";
import type { ReconcileReport } from "./schemas.js";

const PAGE = 1000;
const REPAIR_ATTEMPTS = 10;
// A record in one of these states has ended: its hold is in no flight's hash any more.
const ENDED = new Set(["confirmed", "released", "expired", "cancelled"]);

interface Seen {
  id: number;
  counter: number;
  epoch: number;
  holds: Map<string, number>;
  returns: Map<string, number>;
}

interface Finding {
  seen: Seen;
  expected: number;
  /** Holds in the flight's hash whose record is gone and that the ledger never booked. */
  orphans: string[];
  /** Holds in the flight's hash that the ledger settled and whose record ended or is gone. */
  stale: string[];
}

const pairs = (flat: string[]): Map<string, number> => {
  const m = new Map<string, number>();
  for (let i = 0; i + 1 < flat.length; i += 2) m.set(flat[i] as string, Number(flat[i + 1]));
  return m;
};

/**
 * Compares every flight's RedisClient counter with what PostgreSQL says it should be (total −
 * booked − seats held and not yet booked, with pending returns), and with `repair` drops the
 * counters that differ so they are initialised again from PostgreSQL (the race-free path).
 * Seat maps are compared with seat_assignments too (seating/reconcile-seats.ts).
 * RedisClient is read before PostgreSQL, so an operation committed in between can look like drift
 * for a moment: a flight is reported only if a second look finds the same difference.
 *
 * A failover of Redis Cluster can lose the last acknowledged writes of the failed master (async
 * replication), and a flight's keys and a hold's record live on different masters, so either
 * side can lose a step the other kept. Two traces that leave the counter equal to its expected
 * value still leak seats, so they count as drift too:
 *  - an orphan: a hold in the flight's hash whose record is gone (records are created before
 *    the first leg and outlive the hold by a day, so only a lost write removes one first) and
 *    that the ledger never booked. Repair gives its seats back, once, by hold id.
 *  - a stale entry: a hold the ledger settled (confirmed or cancelled) still in the hash after
 *    its record ended (a lost confirm-finish). Repair drops the counter; its initialisation
 *    leaves settled holds out of the hash.
 */
export class Reconciler {
  constructor(
    private readonly redis: RedisClient,
    private readonly sql: Sql,
    private readonly counters: SeatCounters,
    private readonly seats: SeatsRepo,
  ) {}

  async run(repair: boolean): Promise<ReconcileReport> {
    const report: ReconcileReport = { flights_checked: 0, drift: [], repaired: 0 };
    const seatDrift: SeatMapDrift[] = [];
    let seatMapsRepaired = 0;
    let after = 0;
    for (;;) {
      const ids = (
        await this.sql<{ id: number }[]>`SELECT id::float8 FROM flights WHERE id > ${after} ORDER BY id LIMIT ${PAGE}`
      ).map((r) => r.id);
      if (ids.length === 0) break;
      after = ids[ids.length - 1] as number;
      report.flights_checked += ids.length;
      const seatMaps = await checkSeatMaps(this.redis, this.seats, ids, repair);
      seatDrift.push(...seatMaps.drift);
      seatMapsRepaired += seatMaps.repaired;
      const suspects = await this.check(ids);
      if (suspects.length === 0) continue;
      const confirmed = await this.check(suspects.map((d) => d.seen.id));
      for (const finding of confirmed) {
        report.drift.push({ flight_id: finding.seen.id, redis: finding.seen.counter, expected: finding.expected });
        if (repair && (await this.repair(finding))) report.repaired++;
      }
    }
    if (seatDrift.length > 0) Object.assign(report, { seat_drift: seatDrift, seat_maps_repaired: seatMapsRepaired });
    return report;
  }

  private async check(ids: number[]): Promise<Finding[]> {
    // Sent in the same turn, so auto-pipelining writes them to each node together.
    const replies = await Promise.all(
      ids.map((id) => {
        const [available, epoch, holds, returns] = flightKeys(id);
        return this.redis.invInspect(available, epoch, holds, returns);
      }),
    );
    const seen: Seen[] = [];
    replies.forEach((reply, i) => {
      const [, has, counter, epoch, holds, returns] = reply as [number, number, number, number, string[], string[]];
      if (has === 1) {
        seen.push({ id: ids[i] as number, counter, epoch, holds: pairs(holds), returns: pairs(returns) });
      }
    });
    if (seen.length === 0) return [];
    const opIds = seen.flatMap((s) => [...s.holds.keys(), ...s.returns.keys()]);
    const [flights, ops] = await this.sql.begin("isolation level repeatable read", async (tx) => [
      await tx<{ id: number; free: number }[]>`
        SELECT id::float8, total_seats - booked_seats AS free FROM flights WHERE id = ANY(${seen.map((s) => s.id)}::bigint[])`,
      await tx<{ op_id: string; status: string }[]>`
        SELECT op_id, status FROM seat_ledger WHERE op_id = ANY(${opIds}::text[])`,
    ]);
    const free = new Map(flights.map((f) => [f.id, f.free]));
    const status = new Map(ops.map((o) => [o.op_id, o.status]));
    const records = await this.recordStates([...new Set(seen.flatMap((s) => [...s.holds.keys()]))]);
    const out: Finding[] = [];
    for (const s of seen) {
      let expected = free.get(s.id) ?? 0;
      const orphans: string[] = [];
      const stale: string[] = [];
      for (const [op, seats] of s.holds) {
        const st = status.get(op);
        const record = records.get(op) ?? null;
        const settled = st === "confirmed" || st === "cancelled";
        if (!settled && record === null && st === undefined) orphans.push(op);
        else if (!settled) expected -= seats;
        else if (record === null || ENDED.has(record)) stale.push(op);
      }
      for (const [op, seats] of s.returns) if (status.get(op) === "cancelled") expected -= seats;
      if (expected !== s.counter || orphans.length > 0 || stale.length > 0) {
        out.push({ seen: s, expected, orphans, stale });
      }
    }
    return out;
  }

  /** Each hold's record state; null when the record is gone. One round trip per node. */
  private async recordStates(ids: string[]): Promise<Map<string, string | null>> {
    const states = await pipelineByNode(
      this.redis,
      ids,
      (id) => keys.hold(id),
      (pipe, id) => pipe.hget(keys.hold(id), "state"),
    );
    return new Map(ids.map((id, i) => [id, (states[i] as string | null) ?? null]));
  }

  /**
   * Gives the orphans' seats back, then drops a counter that still differs or keeps stale
   * entries. The drop only happens if the counter did not move since it was read; on a busy
   * flight it moves, so the flight is looked at again and the drop tried again.
   */
  private async repair(finding: Finding): Promise<boolean> {
    const [available, , holds] = flightKeys(finding.seen.id);
    let current: Finding | undefined = finding;
    for (let attempt = 0; attempt < REPAIR_ATTEMPTS && current; attempt++) {
      for (const id of current.orphans) await this.redis.invLegGive(available, holds, id);
      if (current.orphans.length === 0 && (await this.reset(current.seen))) return true;
      [current] = await this.check([finding.seen.id]);
    }
    return current === undefined;
  }

  private async reset(seen: Seen): Promise<boolean> {
    const [available, epoch] = flightKeys(seen.id);
    const [code] = await this.redis.invCounterReset(available, epoch, String(seen.counter), seen.epoch);
    if (code !== LuaCode.OK) return false;
    await this.counters.ensure(seen.id);
    return true;
  }
}
