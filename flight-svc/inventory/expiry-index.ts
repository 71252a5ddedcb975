import type { RedisClient } from "../../lib/redis-plugin.js";
import { HOLD_SHARDS, shardExpiries } from "./keys.js";

const SHARDS = Array.from({ length: HOLD_SHARDS }, (_, s) => s);

/** Every pending hold id due at `now`, at most `limit` per shard (one ZRANGEBYSCORE per shard, sent together). */
export async function dueHoldIds(redis: RedisClient, now: number, limit: number): Promise<string[][]> {
  return Promise.all(SHARDS.map((s) => redis.zrangebyscore(shardExpiries(s), "-inf", now, "LIMIT", 0, limit)));
}

/** Holds not yet settled, over every shard. */
export async function pendingHoldCount(redis: RedisClient): Promise<number> {
  const counts = await Promise.all(SHARDS.map((s) => redis.zcard(shardExpiries(s))));
  return counts.reduce((a, b) => a + b, 0);
}
