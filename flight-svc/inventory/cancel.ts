import { type HoldReleased, MAX_HOLD_TTL_SECONDS } from "../../contracts/flight-svc/holds.js";
import { AppError } from "../../lib/errors.js";
import { LuaCode, type LuaReply } from "./codes.js";
import { adoptIfBooked, confirmIfBooked, settleConfirming } from "./confirm.js";
import { type InventoryContext, keepMsOf, readHold, whileBusy } from "./context.js";
import { keys } from "./keys.js";
import type { Op } from "./ledger.js";

const ended = (hold_id: string, status: HoldReleased["status"], seats_returned: boolean): HoldReleased => ({
  hold_id,
  status,
  seats_returned,
});

/**
 * DELETE of a hold: a live hold is released, a confirmed one cancelled; either gives its seats
 * back exactly once, and a repeat changes nothing. An id nobody knows is marked released
 * (lua/release-unknown.lua) so that its hold, landing late, is refused. Loops because a racing
 * hold, confirm, expiry or release may move the hold on between reading its state and acting on it.
 */
export async function releaseHold(ctx: InventoryContext, id: string): Promise<HoldReleased> {
  const known = ctx.recentLegs.get(id);
  if (known && (await releaseHeld(ctx, id, known))) return ended(id, "released", true);
  for (let attempt = 0; attempt < 5; attempt++) {
    const hold = await readHold(ctx.redis, id);
    if (!hold) {
      const row = await ctx.ledger.find(id);
      if (!row) {
        // Maybe not yet: a hold still on its way must find the id released, not take seats.
        const [code] = await ctx.redis.invReleaseUnknown(keys.hold(id), Date.now(), MAX_HOLD_TTL_SECONDS * 1000);
        if (code === LuaCode.OK) throw new AppError("hold_not_found", undefined, { hold_id: id });
        continue;
      }
      if (row.status !== "confirmed") return ended(id, row.status === "cancelled" ? "cancelled" : "released", false);
      return returnSeats(ctx, { id, kind: row.kind, legs: row.flight_ids, seats: row.seats });
    }
    const { state, op } = hold;
    switch (state) {
      case "held":
      case "placing":
        if (await releaseHeld(ctx, id, op.legs)) return ended(id, "released", true);
        continue;
      case "confirming": {
        // A DELETE while a confirm runs (or after it died): the ledger's arbiter decides.
        const settled = await settleConfirming(ctx, op, "released");
        if (settled.status === "released") return ended(id, "released", settled.returned);
        continue;
      }
      case "confirmed":
      case "cancelling":
        return returnSeats(ctx, op);
      case "cancelled":
        return ended(id, "cancelled", false);
      case "releasing":
        // Another caller's release (or one whose caller died): finish it, then read how it ended.
        await ctx.steps.release(id, op.legs, "released", Date.now(), keepMsOf(ctx, op.kind), "releasing");
        continue;
      default:
        // Released or expired, unless a failover set back a hold PostgreSQL booked (confirm.ts).
        if (await adoptIfBooked(ctx, id, state)) continue;
        return ended(id, "released", false);
    }
  }
  throw new AppError("conflict", "The hold kept changing; try again.", { hold_id: id });
}

/** Releases a hold still in state "held"; false when it is in another state (or gone). */
async function releaseHeld(ctx: InventoryContext, id: string, legs: number[]): Promise<boolean> {
  if (await confirmIfBooked(ctx, id)) return false;
  const [code] = await ctx.steps.release(id, legs, "released", Date.now(), ctx.tombstoneMs, "held");
  return code === LuaCode.OK;
}

/**
 * Gives back the seats of a confirmed operation (a cancellation, an increment), exactly once:
 *  1. return-begin: each leg records the pending return (and the epoch moves).
 *  2. PostgreSQL: the ledger row goes confirmed → cancelled with booked_seats in one
 *     transaction; only one caller can make that change.
 *  3. return-apply: each leg's counter gets the seats back once (the pending entry goes).
 * The counter never shows the seats free before PostgreSQL freed them (no oversell); a crash
 * after step 2 leaves the pending entry, which the sweeper or a retried DELETE applies.
 * The legs are the ledger's, not the Redis record's: a hand-over (hand-over.ts) may have moved
 * some to another hold. Step 2 happens only on the legs step 1 marked; if a hand-over moved legs
 * in between, the marks are undone and the return starts again.
 * When PostgreSQL had returned the seats before this call (an earlier caller's step 2), whether
 * the counters have them back is not known from Redis: that caller died before step 3, or a
 * failover lost some of its steps (replication is asynchronous, and on Redis Cluster the record
 * and each leg live on different masters), while the repair after it initialised counters with
 * the seats free. So the legs' pending entries go and step 3 drops the counters, initialised again
 * from PostgreSQL, rather than risk giving the seats back twice.
 */
export async function returnSeats(ctx: InventoryContext, op: Op): Promise<HoldReleased> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = await withLedgerLegs(ctx, op);
    const begin = await beginReturn(ctx, current);
    if (begin[0] === LuaCode.WRONG_STATE) {
      if (begin[1] === "cancelled") return ended(op.id, "cancelled", false);
      throw new AppError("conflict", "The hold is not confirmed.", { hold_id: op.id });
    }
    let status = await ctx.ledger.cancel(op.id, current.legs);
    if (status === "moved") {
      await ctx.steps.returnAbort(op.id, current.legs, "confirmed", Date.now(), keepMsOf(ctx, op.kind));
      continue;
    }
    if (status === null) status = (await ctx.ledger.settle(current)).status;
    if (status === "returned" || status === "cancelled") {
      if (status === "cancelled") await forgetPendingReturn(ctx, current);
      await applyReturn(ctx, current);
      return ended(op.id, "cancelled", status === "returned");
    }
    await abortReturn(ctx, current, status === "confirmed" ? "confirmed" : "released");
    return ended(op.id, "released", false);
  }
  throw new AppError("conflict", "The hold's legs kept changing; try again.", { hold_id: op.id });
}

/** The operation with the legs its ledger row has now; as it is when PostgreSQL has no row. */
async function withLedgerLegs(ctx: InventoryContext, op: Op): Promise<Op> {
  const row = await ctx.ledger.find(op.id);
  return row ? { ...op, legs: row.flight_ids } : op;
}

/** The legs' pending entries of a return: step 3 then drops their counters instead of adding to them. */
async function forgetPendingReturn(ctx: InventoryContext, op: Op): Promise<void> {
  await Promise.all(op.legs.map((leg) => ctx.redis.hdel(keys.flightReturns(leg), op.id)));
}

export function beginReturn(ctx: InventoryContext, op: Op): Promise<LuaReply> {
  return whileBusy(() => ctx.steps.returnBegin(op.id, op.legs, op.seats, Date.now(), ctx.graceMs, op.kind));
}

export async function applyReturn(ctx: InventoryContext, op: Op): Promise<void> {
  await whileBusy(() => ctx.steps.returnApply(op.id, op.legs, Date.now(), keepMsOf(ctx, op.kind)));
  await ctx.seating.afterReturn(op.id, op.legs);
}

export async function abortReturn(ctx: InventoryContext, op: Op, state: "confirmed" | "released"): Promise<void> {
  await ctx.steps.returnAbort(op.id, op.legs, state, Date.now(), keepMsOf(ctx, op.kind));
}
