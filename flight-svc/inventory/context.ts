import { setTimeout as sleep } from "node:timers/promises";
import type { LRUCache } from "lru-cache";
import { AppError } from "../../lib/errors.js";
import type { RedisClient } from "../../lib/redis-plugin.js";
import type { SeatAssignmentsService } from "../seating/service.js";
import { LuaCode, type LuaReply } from "./codes.js";
import type { SeatCounters } from "./counters.js";
import type { FlightMetaCache } from "./flight-meta.js";
import type { GroupCommit } from "./group-commit.js";
import { keys } from "./keys.js";
import type { Ledger, Op, OpKind } from "./ledger.js";
import type { LegSteps } from "./leg-steps.js";

/** What the inventory's operations share. */
export interface InventoryContext {
  redis: RedisClient;
  ledger: Ledger;
  /** Confirms write the ledger through it: one transaction for the confirms of a flight that arrive together. */
  groupCommit: GroupCommit;
  counters: SeatCounters;
  meta: FlightMetaCache;
  /** The multi-leg steps: one script on one node, leg by leg on Redis Cluster. */
  steps: LegSteps;
  /** A hold's lifetime when the request names none (HOLD_TTL_SECONDS). */
  holdTtlSeconds: number;
  /**
   * How long a confirm or cancel may take before the sweeper asks the ledger how it ended
   * (HOLD_SETTLE_GRACE_MS). Longer than any request, so it only acts after a crash; the
   * ledger's arbiter keeps it safe even if a slow request is still running.
   */
  graceMs: number;
  /** How long an ended hold stays answerable. */
  tombstoneMs: number;
  /** Check-in seats: a return of a booking's seats frees its passengers' seats in the seat maps. */
  seating: SeatAssignmentsService;
  /** Legs of the holds this instance placed (they never change): a DELETE skips reading the record. */
  recentLegs: LRUCache<string, number[]>;
}

export const legsOf = (csv: string): number[] => csv.split(",").map(Number);

/**
 * How long an ended operation's record stays in Redis. A hold's id is its client's (a booking's
 * is bk-<id>-<nonce>): a repeated GET, DELETE or confirm gets the same answer for `tombstoneMs`. A seat
 * decrement's or increment's id is made for one call and never leaves flight-svc, so its record
 * only has to answer that call's own repeated step, or a sweeper round that read it before it
 * ended: both within the grace period. Kept a day, it held about 300 bytes of Redis per call.
 */
export function keepMsOf(times: Pick<InventoryContext, "tombstoneMs" | "graceMs">, kind: OpKind): number {
  return kind === "hold" ? times.tombstoneMs : times.graceMs;
}

/** A hold's record in RedisClient as an operation with its state; null once RedisClient no longer has it. */
export async function readHold(redis: RedisClient, id: string): Promise<{ state: string; op: Op } | null> {
  const [state, legs, seats, kind, token] = await redis.hmget(keys.hold(id), "state", "legs", "seats", "kind", "token");
  if (!state || !legs || !seats) return null;
  return {
    state,
    op: { id, kind: (kind ?? "hold") as OpKind, legs: legsOf(legs), seats: Number(seats), token: token ?? "" },
  };
}

const BUSY_WAIT_MS = 5;
const BUSY_LIMIT_MS = 3_000;

/** Calls a script again while it answers BUSY (a leg's counter is being initialised). */
export async function whileBusy(call: () => Promise<LuaReply>): Promise<LuaReply> {
  const end = Date.now() + BUSY_LIMIT_MS;
  for (;;) {
    const reply = await call();
    if (reply[0] !== LuaCode.BUSY) return reply;
    if (Date.now() > end) throw new AppError("service_unavailable", "A seat counter is being rebuilt; try again.");
    await sleep(BUSY_WAIT_MS);
  }
}
