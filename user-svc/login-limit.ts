// Login attempts counted in RedisClient per username and per client address, in fixed windows: every
// user-svc instance shares the count, and a guesser spreading over usernames is still caught by
// address. RedisClient key names live here alone.

import { AppError } from "../lib/errors.js";
import type { RedisClient } from "../lib/redis-plugin.js";

export interface LoginLimit {
  attempts: number;
  windowSeconds: number;
}

const usernameKey = (username: string) => `user:{login:name:${username.toLowerCase()}}`;
const addressKey = (address: string) => `user:{login:addr:${address}}`;

/** Counts one attempt; throws rate_limited (with Retry-After seconds) once either count is over. */
export async function countLoginAttempt(redis: RedisClient, limit: LoginLimit, username: string, address: string) {
  const keys = [usernameKey(username), addressKey(address)];
  const counts = await Promise.all(
    keys.map(async (key) => {
      const results = (await redis.multi().incr(key).expire(key, limit.windowSeconds, "NX").exec()) ?? [];
      return Number(results[0]?.[1]);
    }),
  );
  const over = keys.filter((_, i) => (counts[i] as number) > limit.attempts);
  if (over.length > 0) {
    // Until every count that is over ends its window: one still under it does not hold the login back.
    const ttls = await Promise.all(over.map((k) => redis.ttl(k)));
    throw new AppError("rate_limited", undefined, { retry_after: Math.max(1, ...ttls) });
  }
}

/** A successful login forgives the username's failures (the address's count stays). */
export async function clearUsernameAttempts(redis: RedisClient, username: string): Promise<void> {
  await redis.del(usernameKey(username));
}
