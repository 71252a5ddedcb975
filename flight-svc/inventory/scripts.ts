import { luaScript } from "../../lib/lua-script.js";
import type { RedisClient } from "../../lib/redis-plugin.js";
import type { LuaReply } from "./codes.js";
import { loadLua } from "./lua-source.js";

// Each script in lua/ becomes one method of the client (defineInventoryCommands). Per-flight
// scripts have a fixed number of keys; multi-leg scripts take the number of keys first, then the
// keys of lua/include/leg-keys.lua (legKeys), then its arguments.
const COMMANDS: Record<string, { file: string; numberOfKeys?: number }> = {
  invInitProbe: { file: "init-probe.lua", numberOfKeys: 5 },
  invInitCounter: { file: "init-counter.lua", numberOfKeys: 5 },
  invAdjustTotal: { file: "adjust-total.lua", numberOfKeys: 1 },
  invHold: { file: "hold.lua" },
  invRelease: { file: "release.lua" },
  invReleaseUnknown: { file: "release-unknown.lua", numberOfKeys: 1 },
  invConfirmBegin: { file: "confirm-begin.lua", numberOfKeys: 2 },
  invConfirmFinish: { file: "confirm-finish.lua" },
  invConfirmFinishBatch: { file: "confirm-finish-batch.lua" },
  invDecrement: { file: "decrement.lua" },
  invReturnBegin: { file: "return-begin.lua" },
  invReturnApply: { file: "return-apply.lua" },
  invReturnAbort: { file: "return-abort.lua" },
  invInspect: { file: "inspect.lua", numberOfKeys: 4 },
  invCounterReset: { file: "counter-reset.lua", numberOfKeys: 2 },
  // The cluster's protocol (per-leg-steps.ts): one flight's keys, or a record and its shard's index.
  invLegTake: { file: "leg-take.lua", numberOfKeys: 5 },
  invLegGive: { file: "leg-give.lua", numberOfKeys: 2 },
  invLegConfirm: { file: "leg-confirm.lua", numberOfKeys: 5 },
  invLegDrop: { file: "leg-drop.lua", numberOfKeys: 5 },
  invLegReturnMark: { file: "leg-return-mark.lua", numberOfKeys: 5 },
  invLegReturnApply: { file: "leg-return-apply.lua", numberOfKeys: 5 },
  invRecordPlace: { file: "record-place.lua", numberOfKeys: 2 },
  invRecordPlaced: { file: "record-placed.lua", numberOfKeys: 2 },
  invRecordUnplace: { file: "record-unplace.lua", numberOfKeys: 2 },
  invRecordRelease: { file: "record-release.lua", numberOfKeys: 2 },
  invRecordEnd: { file: "record-end.lua", numberOfKeys: 2 },
  invRecordReturn: { file: "record-return.lua", numberOfKeys: 2 },
  // Seat assignments (flight-svc/seating/): one flight's seat map each.
  invSeatClaim: { file: "seat-claim.lua", numberOfKeys: 1 },
  invSeatUnclaim: { file: "seat-unclaim.lua", numberOfKeys: 1 },
  invSeatLoad: { file: "seat-load.lua", numberOfKeys: 1 },
  invSeatRelease: { file: "seat-release.lua", numberOfKeys: 1 },
  invSeatSettle: { file: "seat-settle.lua", numberOfKeys: 1 },
};

type Arg = string | number;
type Reply = Promise<LuaReply>;
type Multi = (numKeys: number, ...keysThenArgs: Arg[]) => Reply;
type FlightKeys = [available: string, epoch: string, holds: string, returns: string, initing: string];
type OneLeg<A extends Arg[]> = (...keysThenArgs: [...FlightKeys, ...A]) => Reply;
type OneRecord<A extends Arg[]> = (record: string, expiries: string, ...args: A) => Reply;

/** The scripts as methods of the client (Redis or Cluster), never of its pipelines. */
export interface InventoryCommands {
  invInitProbe(
    available: string,
    epoch: string,
    holds: string,
    returns: string,
    initing: string,
    lockMs: number,
  ): Reply;
  invInitCounter(
    available: string,
    epoch: string,
    holds: string,
    returns: string,
    initing: string,
    ...args: Arg[]
  ): Reply;
  invAdjustTotal(available: string, delta: number): Reply;
  invHold: Multi;
  invRelease: Multi;
  invReleaseUnknown(hold: string, now: number, ttlMs: number): Reply;
  invConfirmBegin(hold: string, expiries: string, id: string, now: number, graceMs: number): Reply;
  invConfirmFinish: Multi;
  invConfirmFinishBatch: Multi;
  invDecrement: Multi;
  invReturnBegin: Multi;
  invReturnApply: Multi;
  invReturnAbort: Multi;
  invInspect(available: string, epoch: string, holds: string, returns: string): Reply;
  invCounterReset(available: string, epoch: string, seen: string, epochSeen: number): Reply;
  invLegTake: OneLeg<[id: string, seats: number]>;
  invLegGive(available: string, hash: string, id: string): Reply;
  invLegConfirm: OneLeg<[id: string]>;
  invLegDrop: OneLeg<[id: string]>;
  invLegReturnMark: OneLeg<[id: string, seats: number]>;
  invLegReturnApply: OneLeg<[id: string]>;
  invRecordPlace: OneRecord<Arg[]>;
  invRecordPlaced: OneRecord<[id: string]>;
  invRecordUnplace: OneRecord<[id: string]>;
  invRecordRelease: OneRecord<[id: string, target: string, now: number, expected: string]>;
  invRecordEnd: OneRecord<[id: string, expected: string, end: string, now: number, keepMs: number]>;
  invRecordReturn: OneRecord<Arg[]>;
  invSeatClaim(map: string, now: number, ...seatOwnerPairs: string[]): Reply;
  invSeatUnclaim(map: string, ...seatOwnerPairs: string[]): Reply;
  invSeatLoad(map: string, ...seatValuePairs: string[]): Reply;
  invSeatRelease(map: string, ref: string, keep: number): Reply;
  invSeatSettle(map: string, now: number, ...ownerSeatPairs: string[]): Reply;
}

declare module "ioredis" {
  interface Redis extends InventoryCommands {}
  interface Cluster extends InventoryCommands {}
}

/** Adds each script as a method of the client, sent by its hash (lib/lua-script.ts). */
export function defineInventoryCommands(redis: RedisClient): void {
  const methods = redis as unknown as Record<string, (...args: Arg[]) => Reply>;
  for (const [name, def] of Object.entries(COMMANDS)) {
    const run = luaScript(loadLua(def.file));
    const fixed = def.numberOfKeys;
    methods[name] = async (...args: Arg[]) =>
      (await (fixed === undefined
        ? run(redis, Number(args[0]), ...args.slice(1))
        : run(redis, fixed, ...args))) as LuaReply;
  }
}
