import type { RedisClient } from "../lib/redis-plugin.js";
import { keys } from "./keys.js";
import type { ResultBodyT } from "./schemas.js";

/** What a finished request answered, replayed to a retry with the same key and body. */
export interface StoredResponse {
  code: number;
  body: ResultBodyT;
}

type IdemRecord = { s: "running"; h: string } | { s: "done"; h: string; c: number; b: ResultBodyT };

export type Claim =
  | { kind: "claimed" }
  | { kind: "in_progress" }
  | { kind: "mismatch" }
  | { kind: "replay"; response: StoredResponse };

/**
 * Idempotency-Key records in RedisClient (DESIGN.md invariant 4). A SET NX claim decides which
 * request runs; a finished one stores its answer for the TTL (24 h). The running claim lives
 * only as long as a request may run, so a crashed request does not block its key for a day:
 * the bookings row (idempotency_key UNIQUE, request_hash) is the durable fallback after that.
 */
export class IdempotencyStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly ttlSeconds: number,
    private readonly runningTtlSeconds: number,
  ) {}

  static scope(userId: number, key: string): string {
    return `${userId}:${key}`;
  }

  /**
   * A cancellation's key is its booking's (`ref`, contracts/flight-svc/booking-ref.ts): a booking
   * given an old one's id after bookings_db was reset must not be answered that one's cancellation.
   */
  static cancelScope(ref: string, key: string): string {
    return `cancel:${ref}:${key}`;
  }

  async claim(scope: string, hash: string): Promise<Claim> {
    const running = JSON.stringify({ s: "running", h: hash } satisfies IdemRecord);
    // SET NX GET: one round trip that either claims the key or returns the record holding it.
    const prev = (await this.redis.call(
      "SET",
      keys.idempotency(scope),
      running,
      "NX",
      "GET",
      "EX",
      this.runningTtlSeconds,
    )) as string | null;
    if (prev === null) return { kind: "claimed" };
    const rec = JSON.parse(prev) as IdemRecord;
    if (rec.h !== hash) return { kind: "mismatch" };
    if (rec.s === "running") return { kind: "in_progress" };
    return { kind: "replay", response: { code: rec.c, body: rec.b } };
  }

  async finish(scope: string, hash: string, response: StoredResponse): Promise<void> {
    const rec: IdemRecord = { s: "done", h: hash, c: response.code, b: response.body };
    await this.redis.set(keys.idempotency(scope), JSON.stringify(rec), "EX", this.ttlSeconds);
  }

  /** Gives the key up when the request changed nothing (e.g. flight-svc unreachable at validation). */
  async abandon(scope: string): Promise<void> {
    await this.redis.del(keys.idempotency(scope));
  }
}
