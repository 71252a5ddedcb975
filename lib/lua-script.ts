import { createHash } from "node:crypto";
import type { RedisClient } from "./redis-plugin.js";

type Arg = string | number;

/** Runs one Lua script: `run(redis, numKeys, ...keys, ...args)` answers the script's reply. */
export type LuaScript = (redis: RedisClient, numKeys: number, ...keysThenArgs: Arg[]) => Promise<unknown>;

/**
 * A script sent by its hash (EVALSHA), and by its text (EVAL, which also keeps it there) where
 * the server answers NOSCRIPT: a new server, a restart, a new master after a failover. Not
 * ioredis' defineCommand: every pipeline ioredis builds (with auto-pipelining, one per turn of
 * the event loop) copies each defined command onto itself: 20 µs a pipeline with flight-svc's 33
 * scripts, against 5 µs without (docs/benchmarks.md).
 */
export function luaScript(lua: string): LuaScript {
  const sha = createHash("sha1").update(lua).digest("hex");
  return async (redis, numKeys, ...keysThenArgs) => {
    try {
      return await redis.evalsha(sha, numKeys, ...keysThenArgs);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith("NOSCRIPT")) throw err;
      return redis.eval(lua, numKeys, ...keysThenArgs);
    }
  };
}
