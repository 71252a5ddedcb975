import { bookingRefOfHold } from "../../contracts/flight-svc/booking-ref.js";
import type { HoldHandedOver } from "../../contracts/flight-svc/holds.js";
import { AppError, validationError } from "../../lib/errors.js";
import type { Sql } from "../../lib/postgres-plugin.js";
import { type InventoryContext, readHold } from "./context.js";

interface OwnerRow {
  op_id: string;
  kind: string;
  flight_ids: number[];
  seats: number;
  status: string;
}

/** Moving `legs` of the confirmed hold `from` to the hold `to` of the same booking. */
export interface HandOver {
  from: string;
  to: string;
  legs: number[];
}

/**
 * A change that keeps some of a booking's legs: the kept legs' seats, booked under the booking's
 * old hold, become the new hold's, so that releasing the old hold gives back only the legs the
 * change dropped. Nothing is booked or freed (the seat counts, the seat map and the passengers'
 * seats stay), so Redis is not touched: only which ledger row owns the legs changes, in one
 * transaction, and every return reads its legs from the ledger (cancel.ts). A repeat finds the
 * legs handed over already and answers the same. `to` gets a row of its own when it has none
 * (a change with no new leg never holds under it).
 */
export async function handOverHold(ctx: InventoryContext, h: HandOver): Promise<HoldHandedOver> {
  // The same booking is the same ref: a booking given an old booking's id has a nonce of its own.
  const booking = bookingRefOfHold(h.from);
  if (booking === null || booking !== bookingRefOfHold(h.to) || h.from === h.to) {
    throw validationError("to_hold_id", "to_hold_id must be another hold of the same booking (bk-<booking ref>-…).");
  }
  // A hold still on its way under `to` must not find its id booked by someone else.
  const live = await readHold(ctx.redis, h.to);
  if (live && live.state !== "confirmed") throw notConfirmed(h.to);
  const refusal = await ctx.ledger.handOver(h);
  if (refusal) throw refusal;
  return { hold_id: h.from, to_hold_id: h.to, flight_ids: h.legs };
}

/** The ledger's side of a hand-over (Ledger.handOver): a refusal, or null when the legs are `to`'s now. */
export async function moveLegs(sql: Sql, h: HandOver): Promise<AppError | null> {
  return sql.begin(async (tx) => {
    const rows = await tx<OwnerRow[]>`
      SELECT op_id, kind, flight_ids::float8[] AS flight_ids, seats, status FROM seat_ledger
      WHERE op_id IN (${h.from}, ${h.to}) ORDER BY op_id FOR UPDATE`;
    const from = rows.find((r) => r.op_id === h.from);
    const to = rows.find((r) => r.op_id === h.to);
    // Done already (a repeat, also after `from` was released); or `to` was placed on the legs
    // too, by a change that began before hand-overs: then `from` keeps its own seats there, and
    // releasing it gives them back as it always did.
    if (to?.status === "confirmed" && h.legs.every((id) => to.flight_ids.includes(id))) return null;
    const moving = h.legs.filter((id) => !to?.flight_ids.includes(id));
    const refusal = refuse(from, to, h, moving);
    if (refusal) return refusal;
    const owner = from as OwnerRow;
    const left = owner.flight_ids.filter((id) => !moving.includes(id));
    await tx`UPDATE seat_ledger SET flight_ids = ${left}::bigint[], updated_at = now() WHERE op_id = ${h.from}`;
    if (to) {
      await tx`UPDATE seat_ledger SET flight_ids = flight_ids || ${moving}::bigint[], updated_at = now()
               WHERE op_id = ${h.to}`;
    } else {
      await tx`INSERT INTO seat_ledger (op_id, kind, flight_ids, seats, status)
               VALUES (${h.to}, 'hold', ${moving}::bigint[], ${owner.seats}, 'confirmed')`;
    }
    return null;
  });
}

function refuse(from: OwnerRow | undefined, to: OwnerRow | undefined, h: HandOver, moving: number[]): AppError | null {
  if (!from) return new AppError("hold_not_found", undefined, { hold_id: h.from });
  if (from.status !== "confirmed" || from.kind !== "hold") return notConfirmed(h.from);
  const missing = moving.find((id) => !from.flight_ids.includes(id));
  if (missing !== undefined) {
    return new AppError("conflict", `Flight ${missing} is not a leg of hold ${h.from}.`, { hold_id: h.from });
  }
  if (!to) return null;
  if (to.status !== "confirmed" || to.kind !== "hold") return notConfirmed(h.to);
  if (to.seats !== from.seats) {
    return new AppError("conflict", `Hold ${h.to} has ${to.seats} seats, hold ${h.from} ${from.seats}.`, {
      hold_id: h.to,
    });
  }
  return null;
}

const notConfirmed = (holdId: string) =>
  new AppError("conflict", `Hold ${holdId} is not confirmed.`, { hold_id: holdId });
