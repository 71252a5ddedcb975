import { randomUUID } from "node:crypto";
import { AppError, validationError } from "../../lib/errors.js";
import { abortReturn, applyReturn, beginReturn } from "./cancel.js";
import { errorForCode, LuaCode } from "./codes.js";
import { bookConfirming } from "./confirm.js";
import { type InventoryContext, keepMsOf } from "./context.js";
import type { FlightMeta } from "./flight-meta.js";
import type { Op } from "./ledger.js";

// The original's seat endpoints: a durable change without a client-visible hold. Each is an
// operation with its own id in the ledger, built from the same steps as holds and
// cancellations, so a crash part-way is settled by the sweeper like any other.

// A counter can vanish again right after its initialisation (a step that finds Redis lost its
// state drops it), so a few rounds are allowed, as for a hold.
const TAKE_ATTEMPTS = 8;

/**
 * Books `seats` on a flight: one script takes them with the operation already "confirming"
 * (lua/decrement.lua), then the group commit books it and ends it in Redis. Answers the seats
 * left right after its script took them, as the original's one script did, once the booking
 * committed: nobody reads the operation back, so its end in Redis runs after the answer.
 */
export async function decrementSeats(
  ctx: InventoryContext,
  flightId: number,
  seats: number,
  date: string,
): Promise<number> {
  const meta = await checkFlightDate(ctx, flightId, date);
  // Seats of a cancelled flight are not sold, as a hold on it is refused.
  if (meta.status === "cancelled") throw new AppError("flight_cancelled", undefined, { flight_id: flightId });
  // The id is new to every call and nobody else ever names it: it can be its own token.
  const id = `dec-${randomUUID()}`;
  const op: Op = { id, kind: "decrement", legs: [flightId], seats, token: id };
  const available = await takeSeats(ctx, op);
  await bookConfirming(ctx, op, "committed");
  return available;
}

async function takeSeats(ctx: InventoryContext, op: Op): Promise<number> {
  const flight_id = op.legs[0];
  for (let attempt = 0; attempt < TAKE_ATTEMPTS; attempt++) {
    const r = await ctx.steps.decrement(op.id, op.legs, {
      seats: op.seats,
      now: Date.now(),
      graceMs: ctx.graceMs,
      keepMs: keepMsOf(ctx, "decrement"),
      token: op.token ?? op.id,
    });
    if (r[0] === LuaCode.OK) return Math.max(0, r[1] as number);
    if (r[0] === LuaCode.NOT_ENOUGH_SEATS) {
      throw new AppError("not_enough_seats", undefined, { flight_id, available_seats: Math.max(0, r[2] as number) });
    }
    if (r[0] !== LuaCode.COUNTER_MISSING) throw errorForCode(r[0], { flight_id });
    const [counter] = await ctx.counters.availableSeats(op.legs);
    if (counter === null) throw new AppError("flight_not_found", undefined, { flight_id });
  }
  throw new AppError("service_unavailable", "The seat counter could not be initialised.");
}

/** Gives back `seats` booked on a flight; never more than are booked. */
export async function incrementSeats(
  ctx: InventoryContext,
  flightId: number,
  seats: number,
  date: string,
): Promise<number> {
  await checkFlightDate(ctx, flightId, date);
  const op: Op = { id: `inc-${randomUUID()}`, kind: "increment", legs: [flightId], seats };
  await beginReturn(ctx, op);
  const outcome = await ctx.ledger.unbook(op);
  if (outcome === "cancelled") {
    await applyReturn(ctx, op);
    return availableNow(ctx, flightId);
  }
  await abortReturn(ctx, op, "released");
  if (typeof outcome === "object") {
    throw new AppError("conflict", "Cannot give back more seats than are booked.", {
      flight_id: flightId,
      booked_seats: outcome.available,
    });
  }
  throw new AppError("service_unavailable", "The seat change could not be applied; try again.");
}

/** The flight exists and departs on `date` (UTC), as the original's seat endpoints required. */
async function checkFlightDate(ctx: InventoryContext, flightId: number, date: string): Promise<FlightMeta> {
  const [meta] = await ctx.meta.get([flightId]);
  if (!meta) throw new AppError("flight_not_found", undefined, { flight_id: flightId });
  if (meta.departureDate !== date) {
    throw validationError("date", `flight ${flightId} departs on ${meta.departureDate}, not ${date}`);
  }
  return meta;
}

async function availableNow(ctx: InventoryContext, flightId: number): Promise<number> {
  const [available] = await ctx.counters.availableSeats([flightId]);
  return available ?? 0;
}
