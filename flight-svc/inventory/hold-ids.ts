import { createHash, timingSafeEqual } from "node:crypto";
import { RESERVED_HOLD_ID_PREFIXES } from "../../contracts/flight-svc/holds.js";
import { validationError } from "../../lib/errors.js";

const digest = (s: string) => createHash("sha256").update(s).digest();

/**
 * Refuses a client-chosen hold id in a reserved prefix (contracts/flight-svc/holds.ts):
 * booking-svc's `bk-` only with the service credential, flight-svc's own never.
 */
export function checkHoldId(holdId: string, credential: string | undefined, serviceToken: string): void {
  const prefix = (Object.keys(RESERVED_HOLD_ID_PREFIXES) as (keyof typeof RESERVED_HOLD_ID_PREFIXES)[]).find((p) =>
    holdId.startsWith(p),
  );
  if (prefix === undefined) return;
  const owner = RESERVED_HOLD_ID_PREFIXES[prefix];
  // Compared as digests: timingSafeEqual needs equal lengths, and the length must not leak either.
  if (
    owner === "booking-svc" &&
    credential !== undefined &&
    timingSafeEqual(digest(credential), digest(serviceToken))
  ) {
    return;
  }
  throw validationError("hold_id", `hold_id must not start with ${prefix}: the prefix is reserved for ${owner}`);
}
