import { RESERVED_HOLD_ID_PREFIXES } from "../../contracts/flight-svc/holds.js";
import { validationError } from "../../lib/errors.js";

/**
 * Refuses a client-chosen hold id in a reserved prefix (contracts/flight-svc/holds.ts):
 * booking-svc's `bk-` only to a service caller, flight-svc's own never.
 */
export function checkHoldId(holdId: string, byService: boolean): void {
  const prefix = (Object.keys(RESERVED_HOLD_ID_PREFIXES) as (keyof typeof RESERVED_HOLD_ID_PREFIXES)[]).find((p) =>
    holdId.startsWith(p),
  );
  if (prefix === undefined) return;
  const owner = RESERVED_HOLD_ID_PREFIXES[prefix];
  if (owner === "booking-svc" && byService) return;
  throw validationError("hold_id", `hold_id must not start with ${prefix}: the prefix is reserved for ${owner}`);
}
