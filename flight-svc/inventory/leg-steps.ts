import type { RedisClient } from "../../lib/redis-plugin.js";
import type { LuaReply } from "./codes.js";
import { flightKeys, legKeys } from "./key-layout.js";
import { keys } from "./keys.js";
import type { OpKind } from "./ledger.js";

/**
 * The inventory's multi-leg steps, each answering as its script in lua/ does. On one node each
 * step is one script over every leg (OneScriptSteps, the fastest); on Redis Cluster, where a
 * hold's legs live in other slots than its record, the same steps run leg by leg
 * (per-leg-steps.ts).
 */
export interface LegSteps {
  /** lua/hold.lua */
  hold(id: string, legs: number[], h: HoldArgs): Promise<LuaReply>;
  /** lua/release.lua: `expected` is the state the hold must be in. */
  release(id: string, legs: number[], target: string, now: number, keepMs: number, expected: string): Promise<LuaReply>;
  /** lua/confirm-finish.lua */
  confirmFinish(id: string, legs: number[], now: number, keepMs: number): Promise<LuaReply>;
  /**
   * lua/confirm-finish-batch.lua: confirm-finish for every member of a committed batch at once;
   * null where one script cannot reach them all (each then runs confirmFinish).
   */
  confirmFinishBatch(ids: string[], legs: number[], now: number, keepMs: number): Promise<LuaReply | null>;
  /** lua/decrement.lua: the seats taken and the operation "confirming" in one step. */
  decrement(id: string, legs: number[], d: DecrementArgs): Promise<LuaReply>;
  /** lua/return-begin.lua */
  returnBegin(id: string, legs: number[], seats: number, now: number, graceMs: number, kind: OpKind): Promise<LuaReply>;
  /** lua/return-apply.lua */
  returnApply(id: string, legs: number[], now: number, keepMs: number): Promise<LuaReply>;
  /** lua/return-abort.lua */
  returnAbort(id: string, legs: number[], state: string, now: number, keepMs: number): Promise<LuaReply>;
}

export interface HoldArgs {
  seats: number;
  ttlMs: number;
  now: number;
  keepMs: number;
  kind: OpKind;
  token: string;
}

export interface DecrementArgs {
  seats: number;
  now: number;
  /** When the sweeper asks the ledger how the operation ended, from now (HOLD_SETTLE_GRACE_MS). */
  graceMs: number;
  keepMs: number;
  token: string;
}

export class OneScriptSteps implements LegSteps {
  constructor(private readonly redis: RedisClient) {}

  hold(id: string, legs: number[], h: HoldArgs): Promise<LuaReply> {
    const csv = legs.join(",");
    return this.redis.invHold(...legKeys(id, legs), id, h.seats, h.ttlMs, h.now, h.keepMs, csv, h.kind, h.token);
  }

  release(id: string, legs: number[], target: string, now: number, keepMs: number, expected: string) {
    return this.redis.invRelease(...legKeys(id, legs), id, target, now, keepMs, expected);
  }

  confirmFinish(id: string, legs: number[], now: number, keepMs: number) {
    return this.redis.invConfirmFinish(...legKeys(id, legs), id, now, keepMs);
  }

  confirmFinishBatch(ids: string[], legs: number[], now: number, keepMs: number): Promise<LuaReply> {
    const batchKeys = legs.flatMap((leg) => flightKeys(leg));
    for (const id of ids) batchKeys.push(keys.hold(id), keys.holdExpiries(id));
    return this.redis.invConfirmFinishBatch(batchKeys.length, ...batchKeys, now, keepMs, legs.length, ...ids);
  }

  decrement(id: string, legs: number[], d: DecrementArgs): Promise<LuaReply> {
    const csv = legs.join(",");
    return this.redis.invDecrement(...legKeys(id, legs), id, d.seats, d.now, d.graceMs, d.keepMs, csv, d.token);
  }

  returnBegin(id: string, legs: number[], seats: number, now: number, graceMs: number, kind: OpKind) {
    return this.redis.invReturnBegin(...legKeys(id, legs), id, seats, now, graceMs, legs.join(","), kind);
  }

  returnApply(id: string, legs: number[], now: number, keepMs: number) {
    return this.redis.invReturnApply(...legKeys(id, legs), id, now, keepMs);
  }

  returnAbort(id: string, legs: number[], state: string, now: number, keepMs: number) {
    return this.redis.invReturnAbort(...legKeys(id, legs), id, state, now, keepMs);
  }
}
