import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { LRUCache } from "lru-cache";
import type { RedisClient } from "../../lib/redis-plugin.js";
import { keys } from "./keys.js";
import type { Counter } from "./metrics.js";
import type { CandidateSet } from "./select.js";
import { SingleFlight } from "./singleflight.js";

export interface CandidateCacheOptions {
  lruSize: number;
  ttlSeconds: number;
  /** How long the RedisClient lock of one computation lives. */
  lockMs: number;
  /** How long another instance waits for the lock holder's result before computing itself. */
  waitMs: number;
  pollMs: number;
}

export interface CacheSource {
  /** The engine run; synchronous, so one run never interleaves with a schedule change. */
  compute: () => CandidateSet;
  encode: (set: CandidateSet) => string;
  /** Null when the stored set cannot be used by this instance. */
  decode: (text: string) => CandidateSet | null;
}

/**
 * Candidate sets by search key: an in-process LRU in front of Redis. A miss is computed once:
 * concurrent identical misses in this process share one promise, and across processes a short
 * RedisClient lock (SET NX PX) lets one instance compute while the others poll for its result,
 * computing themselves if it does not come in time (the lock holder died or is slow).
 */
export class CandidateCache {
  private readonly lru: LRUCache<string, CandidateSet>;
  private readonly flights = new SingleFlight<CandidateSet>();

  constructor(
    private readonly redis: RedisClient,
    private readonly opts: CandidateCacheOptions,
    private readonly count: (c: Counter) => void,
  ) {
    this.lru = new LRUCache({ max: opts.lruSize });
  }

  get(key: string, source: CacheSource): Promise<CandidateSet> | CandidateSet {
    const hit = this.lru.get(key);
    if (hit) {
      this.count("l1_hits");
      return hit;
    }
    const { promise, joined } = this.flights.run(key, () => this.load(key, source));
    if (joined) this.count("coalesced_local");
    return promise;
  }

  /** Forgets every in-process entry (their version is dead); RedisClient entries expire by TTL. */
  clear(): void {
    this.lru.clear();
  }

  private async load(key: string, source: CacheSource): Promise<CandidateSet> {
    const stored = await this.fromRedis(key, source);
    if (stored) {
      this.count("l2_hits");
      return stored;
    }
    this.count("misses");
    const lock = keys.searchLock(key);
    const token = randomUUID();
    let locked: boolean;
    try {
      locked = (await this.redis.set(lock, token, "PX", this.opts.lockMs, "NX")) === "OK";
    } catch {
      // A Redis that refuses writes (full at its maxmemory) still answers reads: compute now,
      // as no other instance can hold the lock either.
      return this.computeAndStore(key, source, null);
    }
    if (locked) return this.computeAndStore(key, source, lock);
    this.count("coalesced_remote");
    const deadline = Date.now() + this.opts.waitMs;
    while (Date.now() < deadline) {
      await sleep(this.opts.pollMs);
      const theirs = await this.fromRedis(key, source);
      if (theirs) return theirs;
    }
    this.count("lock_timeouts");
    return this.computeAndStore(key, source, null);
  }

  private async fromRedis(key: string, source: CacheSource): Promise<CandidateSet | null> {
    const text = await this.redis.get(key);
    const set = text === null ? null : source.decode(text);
    if (set) this.lru.set(key, set);
    return set;
  }

  private async computeAndStore(key: string, source: CacheSource, lock: string | null): Promise<CandidateSet> {
    let set: CandidateSet;
    try {
      set = source.compute();
    } catch (err) {
      // Let the waiting instances compute now rather than at their timeout.
      if (lock) await this.redis.del(lock).catch(() => {});
      throw err;
    }
    this.lru.set(key, set);
    // The lock is left to expire: waiters find the result, and deleting it could remove
    // the lock of another instance that took over after ours expired.
    // The answer does not depend on a cache Redis could not keep (it refuses writes when full).
    await this.redis.set(key, source.encode(set), "EX", this.opts.ttlSeconds).catch(() => {});
    return set;
  }
}
