import type { ClientContext, Result } from "ioredis";
import type { RedisClient } from "../../lib/redis-plugin.js";
import type { LuaReply } from "./codes.js";
import { loadLua } from "./lua-source.js";

// Each script in lua/ becomes one ioredis command (EVALSHA, with the NOSCRIPT fallback ioredis
// does itself). Per-flight scripts have a fixed number of keys; multi-leg scripts take the
// number of keys first, then the keys of lua/include/leg-keys.lua (legKeys), then its arguments.
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
type Multi<Context extends ClientContext> = (numKeys: number, ...keysThenArgs: Arg[]) => Result<LuaReply, Context>;
type FlightKeys = [available: string, epoch: string, holds: string, returns: string, initing: string];
type OneLeg<Context extends ClientContext, A extends Arg[]> = (
  ...keysThenArgs: [...FlightKeys, ...A]
) => Result<LuaReply, Context>;
type OneRecord<Context extends ClientContext, A extends Arg[]> = (
  record: string,
  expiries: string,
  ...args: A
) => Result<LuaReply, Context>;

declare module "ioredis" {
  interface RedisCommander<Context> {
    invInitProbe(
      available: string,
      epoch: string,
      holds: string,
      returns: string,
      initing: string,
      lockMs: number,
    ): Result<LuaReply, Context>;
    invInitCounter(
      available: string,
      epoch: string,
      holds: string,
      returns: string,
      initing: string,
      ...args: Arg[]
    ): Result<LuaReply, Context>;
    invAdjustTotal(available: string, delta: number): Result<LuaReply, Context>;
    invHold: Multi<Context>;
    invRelease: Multi<Context>;
    invReleaseUnknown(hold: string, now: number, ttlMs: number): Result<LuaReply, Context>;
    invConfirmBegin(
      hold: string,
      expiries: string,
      id: string,
      now: number,
      graceMs: number,
    ): Result<LuaReply, Context>;
    invConfirmFinish: Multi<Context>;
    invConfirmFinishBatch: Multi<Context>;
    invDecrement: Multi<Context>;
    invReturnBegin: Multi<Context>;
    invReturnApply: Multi<Context>;
    invReturnAbort: Multi<Context>;
    invInspect(available: string, epoch: string, holds: string, returns: string): Result<LuaReply, Context>;
    invCounterReset(available: string, epoch: string, seen: string, epochSeen: number): Result<LuaReply, Context>;
    invLegTake: OneLeg<Context, [id: string, seats: number]>;
    invLegGive(available: string, hash: string, id: string): Result<LuaReply, Context>;
    invLegConfirm: OneLeg<Context, [id: string]>;
    invLegDrop: OneLeg<Context, [id: string]>;
    invLegReturnMark: OneLeg<Context, [id: string, seats: number]>;
    invLegReturnApply: OneLeg<Context, [id: string]>;
    invRecordPlace: OneRecord<Context, Arg[]>;
    invRecordPlaced: OneRecord<Context, [id: string]>;
    invRecordUnplace: OneRecord<Context, [id: string]>;
    invRecordRelease: OneRecord<Context, [id: string, target: string, now: number, expected: string]>;
    invRecordEnd: OneRecord<Context, [id: string, expected: string, end: string, now: number, keepMs: number]>;
    invRecordReturn: OneRecord<Context, Arg[]>;
    invSeatClaim(map: string, now: number, ...seatOwnerPairs: string[]): Result<LuaReply, Context>;
    invSeatUnclaim(map: string, ...seatOwnerPairs: string[]): Result<LuaReply, Context>;
    invSeatLoad(map: string, ...seatValuePairs: string[]): Result<LuaReply, Context>;
    invSeatRelease(map: string, bookingId: number, keep: number): Result<LuaReply, Context>;
    invSeatSettle(map: string, now: number, ...ownerSeatPairs: string[]): Result<LuaReply, Context>;
  }
}

export function defineInventoryCommands(redis: RedisClient): void {
  for (const [name, def] of Object.entries(COMMANDS)) {
    const lua = loadLua(def.file);
    redis.defineCommand(name, def.numberOfKeys === undefined ? { lua } : { lua, numberOfKeys: def.numberOfKeys });
  }
}
