import { randomUUID } from "node:crypto";
import { AppError, validationError } from "../../lib/errors.js";
import { abortReturn, applyReturn, beginReturn } from "./cancel.js";
import { confirmHold } from "./confirm.js";
import type { InventoryContext } from "./context.js";
import { placeHold } from "./holds.js";
import type { Op } from "./ledger.js";

// The original's seat endpoints: a durable change without a client-visible hold. Each is an
// operation with its own id in the ledger, built from the same steps as holds and
// cancellations, so a crash part-way is settled by the sweeper like any other.

const DECREMENT_TTL_SECONDS = 60;

/**
 * Books `seats` on a flight: a short hold, confirmed at once. Answers the seats left right after
 * its own hold took them, as the original's one script did (no second read of the counter).
 */
export async function decrementSeats(
  ctx: InventoryContext,
  flightId: number,
  seats: number,
  date: string,
): Promise<number> {
  await checkFlightDate(ctx, flightId, date);
  const hold = await placeHold(ctx, {
    flightIds: [flightId],
    seats,
    ttlSeconds: DECREMENT_TTL_SECONDS,
    holdId: `dec-${randomUUID()}`,
    kind: "decrement",
  });
  await confirmHold(ctx, hold.hold_id);
  return hold.legs[0]?.available_seats ?? 0;
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
async function checkFlightDate(ctx: InventoryContext, flightId: number, date: string): Promise<void> {
  const [meta] = await ctx.meta.get([flightId]);
  if (!meta) throw new AppError("flight_not_found", undefined, { flight_id: flightId });
  if (meta.departureDate !== date) {
    throw validationError("date", `flight ${flightId} departs on ${meta.departureDate}, not ${date}`);
  }
}

async function availableNow(ctx: InventoryContext, flightId: number): Promise<number> {
  const [available] = await ctx.counters.availableSeats([flightId]);
  return available ?? 0;
}
