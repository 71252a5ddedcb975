import type { RedisClient } from "../../lib/redis-plugin.js";
import { keys } from "./keys.js";

// The schedule version is part of every search cache key. A missing version (first start,
// RedisClient flushed) starts from the clock in milliseconds, never from 1: a number an instance may
// still hold from before the flush could otherwise come back and revive its stale cache.

/** The current version, creating it if missing. */
export async function readScheduleVersion(redis: RedisClient): Promise<string> {
  const current = await redis.get(keys.scheduleVersion());
  if (current !== null) return current;
  await redis.set(keys.scheduleVersion(), Date.now(), "NX");
  return (await redis.get(keys.scheduleVersion())) ?? String(Date.now());
}

/** A new version after a schedule change: every cached search of the old one is dead. */
export async function bumpScheduleVersion(redis: RedisClient): Promise<string> {
  const replies = await redis.multi().set(keys.scheduleVersion(), Date.now(), "NX").incr(keys.scheduleVersion()).exec();
  const incr = replies?.[1];
  if (!incr || incr[0]) throw incr?.[0] ?? new Error("schedule version not bumped");
  return String(incr[1]);
}
