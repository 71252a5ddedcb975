import fp from "fastify-plugin";
import { Redis } from "ioredis";

declare module "fastify" {
  interface FastifyInstance {
    redis: Redis;
  }
}

export interface RedisPluginOptions {
  url: string;
}

/**
 * Creates an ioredis client that fails fast while Redis is down instead of queueing forever (a
 * command gives up after two reconnect attempts, then answers 503), and that reconnects at most
 * half a second after Redis is back.
 */
export function createRedis(url: string): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: 2,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(50 * 2 ** times, 500),
  });
}

export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === "end") return;
  try {
    await Promise.race([redis.quit(), new Promise((_, reject) => setTimeout(reject, 1_000).unref())]);
  } catch {
    redis.disconnect();
  }
}

export const redisPlugin = fp<RedisPluginOptions>(
  async (app, opts) => {
    const redis = createRedis(opts.url);
    redis.on("error", (err) => app.log.warn({ err: err.message }, "redis connection error"));
    app.decorate("redis", redis);
    app.addHook("onClose", async () => closeRedis(redis));
  },
  { name: "redis" },
);
