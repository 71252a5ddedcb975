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
  invReturnBegin: { file: "return-begin.lua" },
  invReturnApply: { file: "return-apply.lua" },
  invReturnAbort: { file: "return-abort.lua" },
  invInspect: { file: "inspect.lua", numberOfKeys: 4 },
  invCounterReset: { file: "counter-reset.lua", numberOfKeys: 2 },
};

type Arg = string | number;
type Multi<Context extends ClientContext> = (numKeys: number, ...keysThenArgs: Arg[]) => Result<LuaReply, Context>;

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
    invReturnBegin: Multi<Context>;
    invReturnApply: Multi<Context>;
    invReturnAbort: Multi<Context>;
    invInspect(available: string, epoch: string, holds: string, returns: string): Result<LuaReply, Context>;
    invCounterReset(available: string, epoch: string, seen: string, epochSeen: number): Result<LuaReply, Context>;
  }
}

export function defineInventoryCommands(redis: RedisClient): void {
  for (const [name, def] of Object.entries(COMMANDS)) {
    const lua = loadLua(def.file);
    redis.defineCommand(name, def.numberOfKeys === undefined ? { lua } : { lua, numberOfKeys: def.numberOfKeys });
  }
}
