import type { RedisClient } from "../../lib/redis-plugin.js";
import type { LuaReply } from "./codes.js";
import { legKeys } from "./key-layout.js";
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
