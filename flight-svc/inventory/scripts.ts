import { readFileSync } from "node:fs";
import type { Redis, Result } from "ioredis";
import { projectPath } from "../../lib/paths.js";
import type { LuaReply } from "./codes.js";

// Each script in lua/ becomes one ioredis command (EVALSHA, with the NOSCRIPT fallback ioredis
// does itself). numberOfKeys is fixed for per-flight scripts; multi-leg scripts take it first.
const COMMANDS = {
  invInitProbe: { file: "init-probe.lua", numberOfKeys: 4 },
  invInitCounter: { file: "init-counter.lua", numberOfKeys: 4 },
  invAdjustTotal: { file: "adjust-total.lua", numberOfKeys: 1 },
} as const;

type Arg = string | number;

declare module "ioredis" {
  interface RedisCommander<Context> {
    invInitProbe(available: string, epoch: string, holds: string, returns: string): Result<LuaReply, Context>;
    invInitCounter(
      available: string,
      epoch: string,
      holds: string,
      returns: string,
      ...args: Arg[]
    ): Result<LuaReply, Context>;
    invAdjustTotal(available: string, delta: number): Result<LuaReply, Context>;
  }
}

export function defineInventoryCommands(redis: Redis): void {
  for (const [name, def] of Object.entries(COMMANDS)) {
    const lua = readFileSync(projectPath("lua", def.file), "utf8");
    redis.defineCommand(name, def.numberOfKeys === undefined ? { lua } : { lua, numberOfKeys: def.numberOfKeys });
  }
}
