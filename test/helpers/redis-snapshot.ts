import type { RedisClient } from "../../lib/redis-plugin.js";

/** Every key of the test's Redis database, dumped, with its time to live. */
export type RedisSnapshot = Map<string, { dump: Buffer; ttl: number }>;

export async function snapshot(redis: RedisClient): Promise<RedisSnapshot> {
  const out: RedisSnapshot = new Map();
  for (const key of await redis.keys("*")) {
    const dump = await redis.dumpBuffer(key);
    if (dump) out.set(key, { dump, ttl: await redis.pttl(key) });
  }
  return out;
}

/** Redis as it was at `snap`: what came after is lost, as in a failover. */
export async function restore(redis: RedisClient, snap: RedisSnapshot): Promise<void> {
  for (const key of await redis.keys("*")) if (!snap.has(key)) await redis.del(key);
  for (const [key, { dump, ttl }] of snap) await redis.restore(key, ttl > 0 ? ttl : 0, dump, "REPLACE");
}
