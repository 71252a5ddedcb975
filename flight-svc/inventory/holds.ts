import { randomUUID } from "node:crypto";
import type { HoldPlaced, HoldStatus, HoldView } from "../../contracts/flight-svc/holds.js";
import { AppError } from "../../lib/errors.js";
import { errorForCode, LuaCode } from "./codes.js";
import { type InventoryContext, legsOf } from "./context.js";
import type { FlightMeta } from "./flight-meta.js";
import { keys } from "./keys.js";
import type { OpKind } from "./ledger.js";

export interface HoldRequest {
  flightIds: number[];
  seats: number;
  /** Default: the configured HOLD_TTL_SECONDS. */
  ttlSeconds?: number;
  holdId?: string;
  kind?: OpKind;
  /** The travel date: the first leg must depart that day (UTC). */
  date?: string;
}

/** `replayed`: the hold id existed, the same answer again. */
export type PlacedHold = HoldPlaced & { replayed: boolean };

/**
 * Refuses a hold on a flight that does not exist, whose first leg does not depart on `date`, or
 * that is cancelled (the order booking-svc's own leg checks refuse in); the flights' meta otherwise.
 */
export async function checkFlights(ctx: InventoryContext, flightIds: number[], date?: string): Promise<FlightMeta[]> {
  const metas = await ctx.meta.get(flightIds);
  const missing = metas.indexOf(null);
  if (missing >= 0) throw new AppError("flight_not_found", undefined, { flight_id: flightIds[missing] });
  const known = metas as FlightMeta[];
  const first = known[0] as FlightMeta;
  if (date !== undefined && first.departureDate !== date) {
    const message = `date ${date} is not the departure date of flight ${first.id} (${first.departureDate}, UTC).`;
    throw new AppError("validation_error", message, { field: "date", flight_id: first.id, legs: pricesOf(known) });
  }
  const cancelled = known.find((m) => m.status === "cancelled");
  if (cancelled) throw new AppError("flight_cancelled", undefined, { flight_id: cancelled.id, legs: pricesOf(known) });
  return known;
}

/** A refused hold's legs with their fares, so that a refused booking still shows what it would cost. */
const pricesOf = (metas: FlightMeta[]) => metas.map((m) => ({ flight_id: m.id, price: Number(m.price) }));

/** Holds seats on every leg or none (LegSteps.hold); idempotent on a client-chosen hold id. */
export async function placeHold(ctx: InventoryContext, req: HoldRequest): Promise<PlacedHold> {
  const metas = await checkFlights(ctx, req.flightIds, req.date);
  const id = req.holdId ?? randomUUID();
  // A counter can vanish again right after its initialisation (a step that finds Redis lost
  // its state drops it), so a few rounds are allowed.
  for (let attempt = 0; attempt < 8; attempt++) {
    const r = await ctx.steps.hold(id, req.flightIds, {
      seats: req.seats,
      ttlMs: (req.ttlSeconds ?? ctx.holdTtlSeconds) * 1000,
      now: Date.now(),
      keepMs: ctx.tombstoneMs,
      kind: req.kind ?? "hold",
      token: randomUUID(),
    });
    const code = r[0];
    if (code === LuaCode.OK || code === LuaCode.HOLD_EXISTS) {
      const [, expires, state, ...available] = r as [number, number, string, ...number[]];
      ctx.recentLegs.set(id, req.flightIds);
      return {
        hold_id: id,
        status: state === "confirmed" ? "confirmed" : "held",
        seats: req.seats,
        expires_at: new Date(expires).toISOString(),
        legs: req.flightIds.map((flight_id, i) => ({
          flight_id,
          available_seats: Math.max(0, available[i] ?? 0),
          price: Number(metas[i]?.price),
        })),
        replayed: code === LuaCode.HOLD_EXISTS,
      };
    }
    if (code === LuaCode.NOT_ENOUGH_SEATS) {
      throw new AppError("not_enough_seats", undefined, {
        flight_id: req.flightIds[(r[1] as number) - 1],
        available_seats: Math.max(0, r[2] as number),
        legs: pricesOf(metas),
      });
    }
    if (code !== LuaCode.COUNTER_MISSING) throw errorForCode(code, { hold_id: id });
    const counters = await ctx.counters.availableSeats(req.flightIds);
    const gone = counters.indexOf(null);
    if (gone >= 0) throw new AppError("flight_not_found", undefined, { flight_id: req.flightIds[gone] });
  }
  throw new AppError("service_unavailable", "The seat counters could not be initialised.");
}

const VIEW_STATUS: Record<string, HoldStatus> = {
  held: "held",
  placing: "held",
  confirming: "held",
  confirmed: "confirmed",
  cancelling: "confirmed",
  releasing: "released",
  released: "released",
  expired: "expired",
  cancelled: "cancelled",
};

/** A hold as clients see it: from its Redis record, or from the ledger once Redis forgot it. */
export async function getHold(ctx: InventoryContext, id: string): Promise<HoldView> {
  const rec = await ctx.redis.hgetall(keys.hold(id));
  if (rec.state && rec.legs && rec.seats) {
    const expires = rec.expires_at ? Number(rec.expires_at) : null;
    let status = VIEW_STATUS[rec.state] ?? "held";
    if (rec.state === "held" && expires !== null && expires <= Date.now()) status = "expired";
    return {
      hold_id: id,
      status,
      seats: Number(rec.seats),
      expires_at: expires === null ? null : new Date(expires).toISOString(),
      legs: legsOf(rec.legs).map((flight_id) => ({ flight_id })),
    };
  }
  const row = await ctx.ledger.find(id);
  if (!row) throw new AppError("hold_not_found", undefined, { hold_id: id });
  return {
    hold_id: id,
    status: row.status,
    seats: row.seats,
    expires_at: null,
    legs: row.flight_ids.map((flight_id) => ({ flight_id })),
  };
}
