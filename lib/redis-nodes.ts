import type { ChainableCommander } from "ioredis";
import { Cluster } from "ioredis";
import type { RedisClient } from "./redis-plugin.js";
import { keySlot } from "./redis-slot.js";

// On Redis Cluster a pipeline may only hold commands for one node, and a multi-key command only
// keys of one slot. These helpers group work by the node that serves each key (from the
// client's slot map), so a read of many flights costs one round trip per node, not per key.

/** Indexes of `keys` grouped by the node serving them; one group on a single node. */
export function groupByNode(redis: RedisClient, keys: string[]): number[][] {
  if (!(redis instanceof Cluster)) return keys.length === 0 ? [] : [keys.map((_, i) => i)];
  const groups = new Map<string, number[]>();
  keys.forEach((key, i) => {
    const node = redis.slots[keySlot(key)]?.[0] ?? "";
    const group = groups.get(node);
    if (group) group.push(i);
    else groups.set(node, [i]);
  });
  return [...groups.values()];
}

/**
 * A Cluster client knows its slot map and masters only once connected; a script's client that
 * has just been created has neither (one group for every key, no master). A command sent before
 * then waits for the connection.
 */
async function slotsKnown(redis: RedisClient): Promise<void> {
  if (redis instanceof Cluster && redis.status !== "ready") await redis.ping();
}

/**
 * One pipeline per node: `add` puts the command of item i on the pipeline; the replies come back
 * in the order of `items`. A reply that is an error throws.
 */
export async function pipelineByNode<T>(
  redis: RedisClient,
  items: T[],
  keyOf: (item: T) => string,
  add: (pipe: ChainableCommander, item: T) => void,
): Promise<unknown[]> {
  const out: unknown[] = new Array(items.length);
  await slotsKnown(redis);
  await Promise.all(
    groupByNode(redis, items.map(keyOf)).map(async (group) => {
      const pipe = redis.pipeline();
      for (const i of group) add(pipe, items[i] as T);
      const replies = (await pipe.exec()) ?? [];
      replies.forEach(([err, reply], j) => {
        if (err) throw err;
        out[group[j] as number] = reply;
      });
    }),
  );
  return out;
}

/** GET of many keys, one round trip per node (MGET on a single node). */
export async function getMany(redis: RedisClient, keys: string[]): Promise<(string | null)[]> {
  if (!(redis instanceof Cluster)) return keys.length === 0 ? [] : redis.mget(keys);
  return (await pipelineByNode(
    redis,
    keys,
    (k) => k,
    (pipe, k) => pipe.get(k),
  )) as (string | null)[];
}

/**
 * One key per master, `key(n)` for the first n whose slot that master serves (a Cluster's slot
 * map says which); `key(0)` on a single node. Every slot is some n's below 110,000: finding the
 * key of a master that serves few slots takes more hashes, of one of three masters a handful.
 */
export async function keyPerMaster(redis: RedisClient, key: (n: number) => string): Promise<Map<string, string>> {
  if (!(redis instanceof Cluster)) return new Map([["", key(0)]]);
  await slotsKnown(redis);
  const masters = new Set(redis.slots.map((nodes) => nodes?.[0]).filter((node) => node !== undefined));
  const found = new Map<string, string>();
  for (let n = 0; found.size < masters.size; n++) {
    const k = key(n);
    const master = redis.slots[keySlot(k)]?.[0];
    if (master !== undefined && !found.has(master)) found.set(master, k);
  }
  return found;
}

/** Runs `fn` on every master (SCAN, FLUSHDB act on one node); on a single node, on it. */
export async function eachMaster<T>(redis: RedisClient, fn: (node: RedisClient) => Promise<T>): Promise<T[]> {
  if (!(redis instanceof Cluster)) return [await fn(redis)];
  await slotsKnown(redis);
  return Promise.all(redis.nodes("master").map(fn));
}
