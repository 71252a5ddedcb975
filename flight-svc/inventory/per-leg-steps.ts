import type { RedisClient } from "../../lib/redis-plugin.js";
import { LuaCode, type LuaReply } from "./codes.js";
import { whileBusy } from "./context.js";
import { flightKeys } from "./key-layout.js";
import { keys } from "./keys.js";
import type { OpKind } from "./ledger.js";
import type { DecrementArgs, HoldArgs, LegSteps } from "./leg-steps.js";

/**
 * The multi-leg steps for Redis Cluster: every script touches one slot, either one flight's keys
 * (lua/leg-*.lua) or a hold's record with its shard's expiry index (lua/record-*.lua). Seen from
 * outside each step is still all or nothing:
 *  - a hold's record is "placing" while its legs are taken one at a time in the order given; a
 *    leg that refuses makes the legs already taken give their seats back and the record go,
 *    and the answer is the refusal. A placement whose caller dies is released by the sweeper
 *    after the grace period; one released meanwhile (a DELETE) gives its legs back itself.
 *  - a release flips the record to "releasing" first (one caller owns it, the sweeper finishes
 *    it after a crash), then each leg gives back once, then the record ends.
 *  - confirm and return steps run their legs, then end the record; every leg step is safe to
 *    repeat, so a retry after BUSY or a crash only redoes them.
 * Leg give-backs are idempotent by hold id (the id leaves the flight's hash with its seats).
 */
export class PerLegSteps implements LegSteps {
  constructor(
    private readonly redis: RedisClient,
    /** How long a placement may take before the sweeper releases it (HOLD_SETTLE_GRACE_MS). */
    private readonly graceMs: number,
  ) {}

  private record(id: string): [string, string] {
    return [keys.hold(id), keys.holdExpiries(id)];
  }

  async hold(id: string, legs: number[], h: HoldArgs): Promise<LuaReply> {
    const rec = this.record(id);
    const csv = legs.join(",");
    const begin = await whileBusy(() =>
      this.redis.invRecordPlace(...rec, id, h.seats, h.ttlMs, h.now, h.keepMs, csv, h.kind, h.token, this.graceMs),
    );
    if (begin[0] === LuaCode.HOLD_EXISTS) {
      const counters = await Promise.all(legs.map((leg) => this.redis.get(keys.seatsAvailable(leg))));
      return [LuaCode.HOLD_EXISTS, begin[1], begin[2], ...counters.map((c) => Number(c ?? 0))];
    }
    if (begin[0] !== LuaCode.OK) return begin;
    const available: number[] = [];
    for (const [i, leg] of legs.entries()) {
      const taken = await this.redis.invLegTake(...flightKeys(leg), id, h.seats);
      if (taken[0] !== LuaCode.OK) {
        await this.giveBack(id, legs.slice(0, i));
        await this.redis.invRecordUnplace(...rec, id);
        return taken[0] === LuaCode.NOT_ENOUGH_SEATS ? [taken[0], i + 1, taken[1]] : [taken[0], i + 1];
      }
      available.push(taken[1] as number);
    }
    const placed = await this.redis.invRecordPlaced(...rec, id);
    if (placed[0] !== LuaCode.OK) {
      // Released while the legs were taken: whatever the release gave back before a leg was
      // taken here, this gives back now.
      await this.giveBack(id, legs);
      return [placed[1] === "expired" ? LuaCode.HOLD_EXPIRED : LuaCode.HOLD_RELEASED];
    }
    return [LuaCode.OK, begin[1], "held", ...available];
  }

  async release(id: string, legs: number[], target: string, now: number, keepMs: number, expected: string) {
    const rec = this.record(id);
    const begin = await this.redis.invRecordRelease(...rec, id, target, now, expected);
    if (begin[0] !== LuaCode.OK && begin[0] !== LuaCode.HOLD_EXISTS) return begin;
    await this.giveBack(id, legs);
    await this.redis.invRecordEnd(...rec, id, "releasing", "", now, keepMs);
    // A release under way belonged to another caller: this one only helped it finish.
    return begin[0] === LuaCode.OK ? begin : ([LuaCode.WRONG_STATE, begin[1]] as LuaReply);
  }

  async confirmFinish(id: string, legs: number[], now: number, keepMs: number): Promise<LuaReply> {
    const [rec] = this.record(id);
    const state = await this.redis.hget(rec, "state");
    if (state === "confirmed") return [LuaCode.OK, 0];
    if (state && state !== "confirming") {
      await Promise.all(legs.map((leg) => this.redis.invLegDrop(...flightKeys(leg), id)));
      return [LuaCode.WRONG_STATE, state];
    }
    for (const leg of legs) {
      const r = await this.redis.invLegConfirm(...flightKeys(leg), id);
      if (r[0] === LuaCode.BUSY) return r;
    }
    await this.redis.invRecordEnd(...this.record(id), id, "confirming", "confirmed", now, keepMs);
    return [LuaCode.OK, 1];
  }

  /** The records of a batch live in other slots than its legs: each member finishes on its own. */
  async confirmFinishBatch(): Promise<null> {
    return null;
  }

  /**
   * A hold as long as the grace period, then confirm-begin: a caller that dies between the two
   * leaves a held record that expires and gives its seats back like any hold.
   */
  async decrement(id: string, legs: number[], d: DecrementArgs): Promise<LuaReply> {
    const { seats, now, keepMs, token } = d;
    const held = await this.hold(id, legs, { seats, ttlMs: d.graceMs, now, keepMs, kind: "decrement", token });
    if (held[0] === LuaCode.HOLD_EXISTS) return [LuaCode.HOLD_MISMATCH];
    if (held[0] !== LuaCode.OK) return held;
    const begin = await this.redis.invConfirmBegin(...this.record(id), id, now, d.graceMs);
    if (begin[0] !== LuaCode.OK) return begin;
    return [LuaCode.OK, ...held.slice(3)];
  }

  async returnBegin(id: string, legs: number[], seats: number, now: number, graceMs: number, kind: OpKind) {
    const begin = await this.redis.invRecordReturn(...this.record(id), id, seats, now, graceMs, legs.join(","), kind);
    if (begin[0] !== LuaCode.OK) return begin;
    for (const leg of legs) {
      const r = await this.redis.invLegReturnMark(...flightKeys(leg), id, seats);
      if (r[0] === LuaCode.BUSY) return r;
    }
    return begin;
  }

  async returnApply(id: string, legs: number[], now: number, keepMs: number): Promise<LuaReply> {
    const [rec] = this.record(id);
    if ((await this.redis.hget(rec, "state")) === "cancelled") return [LuaCode.OK, 0];
    for (const leg of legs) {
      const r = await this.redis.invLegReturnApply(...flightKeys(leg), id);
      if (r[0] === LuaCode.BUSY) return r;
    }
    await this.redis.invRecordEnd(...this.record(id), id, "cancelling", "cancelled", now, keepMs);
    return [LuaCode.OK, 1];
  }

  async returnAbort(id: string, legs: number[], state: string, now: number, keepMs: number): Promise<LuaReply> {
    await Promise.all(legs.map((leg) => this.redis.hdel(keys.flightReturns(leg), id)));
    await this.redis.invRecordEnd(...this.record(id), id, "cancelling", state, now, keepMs);
    return [LuaCode.OK];
  }

  /** Each leg gives back what the hold has in it, once; legs that have nothing are left alone. */
  private async giveBack(id: string, legs: number[]): Promise<void> {
    await Promise.all(legs.map((leg) => this.redis.invLegGive(keys.seatsAvailable(leg), keys.flightHolds(leg), id)));
  }
}
