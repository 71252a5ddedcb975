import fp from "fastify-plugin";
import { Cluster, Redis } from "ioredis";

/** One node (REDIS_URL) or a Redis Cluster (REDIS_CLUSTER_NODES): the commands are the same. */
export type RedisClient = Redis | Cluster;

declare module "fastify" {
  interface FastifyInstance {
    redis: RedisClient;
  }
}

export interface RedisPluginOptions {
  url: string;
  /** host:port of a few cluster nodes; empty: one node at `url`. */
  clusterNodes?: string[];
}

// A command gives up after two reconnect attempts (then answers 503) instead of queueing while
// Redis is down, and the client reconnects at most half a second after Redis is back. Commands
// issued in one turn of the event loop leave in one write: under load a write to Redis, and the
// wake-up of Redis it causes, cost more than the command itself (seat decrements on one hot
// flight: 4,649/s with it, against 1,685/s with neither it nor the group commit planned per call). MGET is
// left out: the search's seat reads already merge a turn's reads into one MGET, sent when the
// turn ends (lib/turn-reads.ts), and pipelining it would hold it one turn more.
const NODE_OPTIONS = {
  maxRetriesPerRequest: 2,
  connectTimeout: 2_000,
  retryStrategy: (times: number) => Math.min(50 * 2 ** times, 500),
  enableAutoPipelining: true,
  autoPipeliningIgnoredCommands: ["mget"],
};

// A service's command that Redis has not answered in this time fails (and is answered 503):
// a Redis that stalls (stopped, paused, swapping) would otherwise hold every request that
// touches it for as long as it stalls, since the connection stays open. Redis answers a command
// in well under a millisecond, seat scripts under full load in a few; on a machine loaded far
// beyond its cores (a test suite run three times at once on two) a command took over 2 s, so
// the bound is wide, yet under booking-svc's FLIGHT_TIMEOUT_MS (5 s): flight-svc's 503 comes
// before booking-svc stops waiting for it.
export const SERVICE_COMMAND_TIMEOUT_MS = 3_000;
// A blocking read waits this much longer than it asked Redis to block for.
const BLOCKING_READ_MARGIN_MS = 2_000;

/**
 * Creates the client of one node, or ioredis' Cluster client when cluster nodes are given. The
 * cluster client follows MOVED/ASK redirections and a failover (a replica promoted) by itself;
 * an EVALSHA goes to the node of its first key's slot (flight-svc's scripts send EVAL where a
 * node answers NOSCRIPT: a new master after a failover, flight-svc/inventory/scripts.ts).
 */
export function createRedis(url: string): Redis;
export function createRedis(url: string, clusterNodes: string[], commandTimeoutMs?: number): RedisClient;
export function createRedis(url: string, clusterNodes: string[] = [], commandTimeoutMs?: number): RedisClient {
  const nodeOptions = { ...NODE_OPTIONS, commandTimeout: commandTimeoutMs };
  if (clusterNodes.length === 0) return new Redis(url, nodeOptions);
  return new Cluster(
    clusterNodes.map((n) => {
      const [host, port] = n.split(":");
      return { host, port: Number(port) };
    }),
    {
      redisOptions: nodeOptions,
      clusterRetryStrategy: (times) => Math.min(100 * times, 1_000),
      // A failover takes a few seconds; commands wait for the new slot map rather than fail at once.
      retryDelayOnClusterDown: 200,
      retryDelayOnTryAgain: 100,
      slotsRefreshTimeout: 2_000,
      // A failover the client's own commands have not run into yet shows within two seconds
      // (flight-svc's reconcile after a failover watches for it).
      slotsRefreshInterval: 2_000,
    },
  );
}

/** A connection of its own for blocking reads (XREAD BLOCK) of up to `blockMs`, which a command timeout must outlast. */
export function blockingReader(redis: RedisClient, blockMs: number): RedisClient {
  const commandTimeout = blockMs + BLOCKING_READ_MARGIN_MS;
  if (redis instanceof Cluster) {
    return redis.duplicate([], { redisOptions: { ...redis.options.redisOptions, commandTimeout } });
  }
  return redis.duplicate({ commandTimeout });
}

export async function closeRedis(redis: RedisClient): Promise<void> {
  if (redis.status === "end") return;
  try {
    await Promise.race([redis.quit(), new Promise((_, reject) => setTimeout(reject, 1_000).unref())]);
  } catch {
    redis.disconnect();
  }
}

export const redisPlugin = fp<RedisPluginOptions>(
  async (app, opts) => {
    const redis = createRedis(opts.url, opts.clusterNodes ?? [], SERVICE_COMMAND_TIMEOUT_MS);
    redis.on("error", (err) => app.log.warn({ err: err.message }, "redis connection error"));
    app.decorate<RedisClient>("redis", redis);
    app.addHook("onClose", async () => closeRedis(redis));
  },
  { name: "redis" },
);
