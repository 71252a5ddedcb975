// Login attempts counted in Redis per username and per client address, in fixed windows: every
// user-svc instance shares the count, and a guesser spreading over usernames is still caught by
// address. Redis key names live here alone.
import type { Redis } from "ioredis";
import { AppError } from "../lib/errors.js";

export interface LoginLimit {
  attempts: number;
  windowSeconds: number;
}

const usernameKey = (username: string) => `user:login:name:${username.toLowerCase()}`;
const addressKey = (address: string) => `user:login:addr:${address}`;

/** Counts one attempt; throws rate_limited (with Retry-After seconds) once either count is over. */
export async function countLoginAttempt(redis: Redis, limit: LoginLimit, username: string, address: string) {
  const keys = [usernameKey(username), addressKey(address)];
  const multi = redis.multi();
  for (const key of keys) multi.incr(key).expire(key, limit.windowSeconds, "NX");
  const results = (await multi.exec()) ?? [];
  const counts = [results[0]?.[1], results[2]?.[1]].map(Number);
  if (counts.some((n) => n > limit.attempts)) {
    const ttls = await Promise.all(keys.map((k) => redis.ttl(k)));
    throw new AppError("rate_limited", undefined, { retry_after: Math.max(1, ...ttls) });
  }
}

/** A successful login forgives the username's failures (the address's count stays). */
export async function clearUsernameAttempts(redis: Redis, username: string): Promise<void> {
  await redis.del(usernameKey(username));
}
