import type { HoldConfirmed } from "../../contracts/flight-svc/holds.js";
import { AppError } from "../../lib/errors.js";
import { errorForCode, LuaCode } from "./codes.js";
import { type InventoryContext, keepMsOf, legsOf, whileBusy } from "./context.js";
import type { AnswerAt, BatchFinish, Committed, OneFinish } from "./group-commit.js";
import { flightKeys } from "./key-layout.js";
import { keys } from "./keys.js";
import type { LedgerStatus, Op, OpKind } from "./ledger.js";
import type { LegSteps } from "./leg-steps.js";

const confirmed = (id: string, legs: number[], seats: number): HoldConfirmed => ({
  hold_id: id,
  status: "confirmed",
  seats,
  legs: legs.map((flight_id) => ({ flight_id })),
});

/**
 * Makes a hold durable, exactly once. Ordering, and why it is safe:
 *  1. confirm-begin: held → confirming. The seats stay subtracted in Redis and the hold stays in
 *     each leg's hash, so a counter initialised now still counts them as taken.
 *  2. PostgreSQL: the ledger row (keyed by hold id) and booked_seats in one transaction, shared
 *     with the confirms of the same legs that arrive meanwhile (group-commit.ts); the
 *     conditional UPDATE and the CHECK refuse an oversell. A retry finds the row.
 *  3. confirm-finish (on one Redis node one script for the whole batch, right after its
 *     commit): the hold leaves the legs' hashes (booked_seats counts it now) and the epoch moves, so an initialisation that read PostgreSQL before step 2 starts again; one
 *     that read it after step 2 finds the ledger row and leaves the hold out (counters.ts).
 * If the caller dies between the steps, the sweeper settles the hold after the grace period:
 * the ledger row decides whether it was booked (then step 3) or not (then its seats return).
 * The row carries the hold's token, so a new hold under an id whose earlier hold Redis lost
 * after it was confirmed is told apart from a retry: its seats return, the answer is the
 * earlier confirmation.
 */
export async function confirmHold(ctx: InventoryContext, id: string): Promise<HoldConfirmed> {
  const r = await ctx.redis.invConfirmBegin(keys.hold(id), keys.holdExpiries(id), id, Date.now(), ctx.graceMs);
  if (r[0] === LuaCode.HOLD_MISSING) return confirmedInLedger(ctx, id);
  if (r[0] === LuaCode.WRONG_STATE) {
    const [, state, legs, seats] = r as [number, string, string | undefined, number];
    if (state === "confirmed") return confirmed(id, legsOf(legs as string), seats);
    // A release mark of an id no hold ever had (lua/release-unknown.lua) has no legs: the hold is
    // unknown, as GET and DELETE say.
    if (!legs || (await adoptIfBooked(ctx, id, state))) return confirmedInLedger(ctx, id);
    throw new AppError("hold_released", undefined, { hold_id: id });
  }
  if (r[0] !== LuaCode.OK) throw errorForCode(r[0], { hold_id: id });
  const [, legs, seats, kind, token] = r as [number, string, number, OpKind, string];
  return bookConfirming(ctx, { id, kind, legs: legsOf(legs), seats, token });
}

/**
 * A hold Redis holds as "held" that PostgreSQL booked: a Redis failover lost the confirm's steps
 * (replication is asynchronous), not its commit. Released or expired as it stands, its seats would
 * come back in Redis while PostgreSQL kept them booked, and a cancellation would end without
 * freeing them. The confirm is finished first (its retry finds the ledger row); true when it was,
 * and the caller goes on with a confirmed hold. One primary-key read per release of a held hold.
 */
export async function confirmIfBooked(ctx: InventoryContext, id: string): Promise<boolean> {
  if ((await ctx.ledger.find(id))?.status !== "confirmed") return false;
  // Refused (another caller moved the hold on meanwhile): the caller reads the hold again.
  await confirmHold(ctx, id).catch((err: unknown) => {
    if (!(err instanceof AppError)) throw err;
  });
  return true;
}

// The states a failover can leave a booked hold's record in that no confirm starts from: the
// record's first step of a placement leg by leg, a release begun from there, and their ends.
const ADOPTABLE = new Set(["placing", "releasing", "released", "expired"]);

/**
 * A hold PostgreSQL booked whose record is in one of those states: on Redis Cluster a failover
 * of the record's master alone sets it back (to "placing", the placement's first step) while
 * its legs kept the confirm, and the sweeper then releases it as a placement whose caller died.
 * The record becomes "confirmed", as the ledger says; each leg forgets the hold and its counter,
 * initialised again from PostgreSQL, right whatever the leg kept (the hold taken, confirmed, or
 * given back by the release). True when the ledger booked it and the record was in `state`.
 */
export async function adoptIfBooked(ctx: InventoryContext, id: string, state: string): Promise<boolean> {
  if (!ADOPTABLE.has(state)) return false;
  const row = await ctx.ledger.find(id);
  if (row?.status !== "confirmed") return false;
  const [, before] = await ctx.redis.invRecordEnd(
    keys.hold(id),
    keys.holdExpiries(id),
    id,
    state,
    "confirmed",
    Date.now(),
    keepMsOf(ctx, row.kind),
  );
  if (before !== state) return false;
  await Promise.all(row.flight_ids.map((leg) => ctx.redis.invLegDrop(...flightKeys(leg), id)));
  return true;
}

/**
 * Steps 2 and 3 for an operation already "confirming" in Redis (a confirmed hold, or a
 * decrement, whose one script takes the seats in that state): booked through the group commit,
 * ended as the ledger ruled; `answerAt` says whether the answer waits for step 3.
 */
export async function bookConfirming(
  ctx: InventoryContext,
  op: Op,
  answerAt: AnswerAt = "finished",
): Promise<HoldConfirmed> {
  const { id, seats } = op;
  const outcome = await ctx.groupCommit.book(op, answerAt);
  if ("reason" in outcome) {
    // PostgreSQL refused (Redis had drifted, or the flight was cancelled): give the hold up.
    const settled = await settleConfirming(ctx, op, "released");
    if (settled.status === "confirmed") return confirmed(id, op.legs, seats);
    throw new AppError(outcome.reason, undefined, {
      hold_id: id,
      flight_id: outcome.flightId,
      available_seats: Math.max(0, outcome.available),
    });
  }
  const { status } = await applyRuling(ctx, op, outcome, "expired");
  if (status === "confirmed") return confirmed(id, op.legs, seats);
  throw new AppError(status === "released" ? "hold_expired" : "hold_released", undefined, { hold_id: id });
}

/**
 * Redis has no record of the hold: the ledger says whether it was confirmed before. Known to
 * neither, the hold is unknown, and a confirm answers 404 as GET and DELETE of it do.
 */
async function confirmedInLedger(ctx: InventoryContext, id: string): Promise<HoldConfirmed> {
  const row = await ctx.ledger.find(id);
  if (row?.status === "confirmed") return confirmed(id, row.flight_ids, row.seats);
  if (row?.status === "cancelled") throw new AppError("hold_released", undefined, { hold_id: id });
  if (row) throw new AppError("hold_expired", undefined, { hold_id: id });
  throw new AppError("hold_not_found", undefined, { hold_id: id });
}

export async function finishConfirm(ctx: InventoryContext, op: Op): Promise<void> {
  await finishOne(ctx.steps, (kind) => keepMsOf(ctx, kind))(op);
}

/** How long a kind's ended records stay (context.ts, keepMsOf). */
export type KeepMs = (kind: OpKind) => number;

/** Step 3 of one confirm. */
export function finishOne(steps: LegSteps, keepMs: KeepMs): OneFinish {
  return (op) => whileBusy(() => steps.confirmFinish(op.id, op.legs, Date.now(), keepMs(op.kind)));
}

/**
 * The group commit's last step for the confirms of one leg set and kind: one script on one
 * node; BUSY or an error leaves it to each member.
 */
export function finishBatch(steps: LegSteps, keepMs: KeepMs): BatchFinish {
  return async (ops) => {
    const [first] = ops;
    if (!first) return true;
    const ids = ops.map((o) => o.id);
    const reply = await steps.confirmFinishBatch(ids, first.legs, Date.now(), keepMs(first.kind));
    return reply !== null && reply[0] === LuaCode.OK;
  };
}

/**
 * Settles a hold left "confirming": the ledger's arbiter (Ledger.settle) decides. Returns the
 * status that stands for the id and whether this call gave the hold's seats back.
 */
export async function settleConfirming(
  ctx: InventoryContext,
  op: Op,
  endState: "released" | "expired",
): Promise<Settled> {
  return applyRuling(ctx, op, await ctx.ledger.settle(op), endState);
}

export interface Settled {
  status: LedgerStatus;
  returned: boolean;
}

/**
 * Ends a confirming hold as the ledger ruled. Booked by this hold → the confirm's last step,
 * unless its batch ran it already.
 * Otherwise this hold booked nothing and its seats go back: the id was released (`endState`
 * names the end), or an earlier hold under the same id, lost with Redis, settled it
 * (confirmed or cancelled) and the hold ends in that state.
 */
async function applyRuling(
  ctx: InventoryContext,
  op: Op,
  ruling: Committed,
  endState: "released" | "expired",
): Promise<Settled> {
  if (ruling.status === "confirmed" && ruling.mine) {
    if (!ruling.finished) await finishConfirm(ctx, op);
    return { status: "confirmed", returned: false };
  }
  const state = ruling.status === "released" ? endState : ruling.status;
  const [code] = await ctx.steps.release(op.id, op.legs, state, Date.now(), keepMsOf(ctx, op.kind), "confirming");
  return { status: ruling.status, returned: code === LuaCode.OK };
}
