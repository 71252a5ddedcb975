import { AppError } from "../../lib/errors.js";
import { LuaCode, type LuaReply } from "./codes.js";
import { settleConfirming } from "./confirm.js";
import { type InventoryContext, readHold, whileBusy } from "./context.js";
import { keys } from "./keys.js";
import type { Op } from "./ledger.js";
import { MAX_HOLD_TTL_SECONDS } from "./schemas.js";
import { legKeys } from "./scripts.js";

export interface ReleasedHold {
  hold_id: string;
  status: "released" | "cancelled";
  seats_returned: boolean;
}

const ended = (hold_id: string, status: ReleasedHold["status"], seats_returned: boolean): ReleasedHold => ({
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
export async function releaseHold(ctx: InventoryContext, id: string): Promise<ReleasedHold> {
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
      default:
        return ended(id, "released", false);
    }
  }
  throw new AppError("conflict", "The hold kept changing; try again.", { hold_id: id });
}

/** Releases a hold still in state "held"; false when it is in another state (or gone). */
async function releaseHeld(ctx: InventoryContext, id: string, legs: number[]): Promise<boolean> {
  const ks = legKeys(id, legs, ["available", "holds"]);
  const [code] = await ctx.redis.invRelease(ks.length, ...ks, id, "released", Date.now(), ctx.tombstoneMs, "held");
  return code === LuaCode.OK;
}

/**
 * Gives back the seats of a confirmed operation (a cancellation, an increment), exactly once:
 *  1. cancel-begin: each leg records the pending return (and the epoch moves).
 *  2. PostgreSQL: the ledger row goes confirmed → cancelled with booked_seats in one
 *     transaction; only one caller can make that change.
 *  3. return-apply: each leg's counter gets the seats back once (the pending entry goes).
 * The counter never shows the seats free before PostgreSQL freed them (no oversell); a crash
 * after step 2 leaves the pending entry, which the sweeper or a retried DELETE applies.
 */
export async function returnSeats(ctx: InventoryContext, op: Op): Promise<ReleasedHold> {
  const begin = await beginReturn(ctx, op);
  if (begin[0] === LuaCode.WRONG_STATE) {
    if (begin[1] === "cancelled") return ended(op.id, "cancelled", false);
    throw new AppError("conflict", "The hold is not confirmed.", { hold_id: op.id });
  }
  let status = await ctx.ledger.cancel(op.id);
  if (status === null) status = (await ctx.ledger.settle(op)).status;
  if (status === "returned" || status === "cancelled") {
    await applyReturn(ctx, op);
    return ended(op.id, "cancelled", status === "returned");
  }
  await abortReturn(ctx, op, status === "confirmed" ? "confirmed" : "released");
  return ended(op.id, "released", false);
}

const RETURN_KEYS = ["available", "epoch", "returns", "initing"] as const;

export function beginReturn(ctx: InventoryContext, op: Op): Promise<LuaReply> {
  const ks = legKeys(op.id, op.legs, RETURN_KEYS);
  const legs = op.legs.join(",");
  return whileBusy(() =>
    ctx.redis.invCancelBegin(ks.length, ...ks, op.id, op.seats, Date.now(), ctx.graceMs, legs, op.kind),
  );
}

export async function applyReturn(ctx: InventoryContext, op: Op): Promise<void> {
  const ks = legKeys(op.id, op.legs, RETURN_KEYS);
  await whileBusy(() => ctx.redis.invReturnApply(ks.length, ...ks, op.id, Date.now(), ctx.tombstoneMs));
}

export async function abortReturn(ctx: InventoryContext, op: Op, state: "confirmed" | "released"): Promise<void> {
  const ks = legKeys(op.id, op.legs, ["returns"]);
  await ctx.redis.invReturnAbort(ks.length, ...ks, op.id, state, Date.now(), ctx.tombstoneMs);
}
