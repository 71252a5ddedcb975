import { AppError } from "../../lib/errors.js";

/** What the scripts in lua/ answer first: 0 for success, a negative code for each failure. */
export const LuaCode = {
  OK: 0,
  COUNTER_MISSING: -1,
  NOT_ENOUGH_SEATS: -2,
  HOLD_MISSING: -3,
  HOLD_RELEASED: -4,
  HOLD_EXPIRED: -5,
  HOLD_CANCELLED: -7,
  EPOCH_CHANGED: -8,
  HOLD_MISMATCH: -9,
  /** The hold is in another state than the script acts on; the state follows the code. */
  WRONG_STATE: -10,
  /** An expiry asked for a hold whose expiry is still ahead. */
  NOT_DUE: -11,
  /** A leg's counter is being initialised: the step waits and calls again. */
  BUSY: -12,
  /** A seat is another passenger's; the seat and its stored value follow the code. */
  SEAT_TAKEN: -13,
  /** A flight's seat map is not loaded from PostgreSQL yet. */
  SEAT_MAP_MISSING: -14,
  /** A hold with this id exists already: the call is a replay. */
  HOLD_EXISTS: 1,
} as const;

export type LuaReply = [number, ...unknown[]];

/** The catalogue error for a script failure code that reaches a client as such. */
export function errorForCode(code: number, details: Record<string, unknown> = {}): AppError {
  switch (code) {
    case LuaCode.NOT_ENOUGH_SEATS:
      return new AppError("not_enough_seats", undefined, details);
    case LuaCode.HOLD_MISSING:
      return new AppError("hold_not_found", undefined, details);
    case LuaCode.HOLD_RELEASED:
    case LuaCode.HOLD_CANCELLED:
    case LuaCode.WRONG_STATE:
      return new AppError("hold_released", undefined, details);
    case LuaCode.HOLD_EXPIRED:
      return new AppError("hold_expired", undefined, details);
    case LuaCode.HOLD_MISMATCH:
      return new AppError("idempotency_key_reused", "This hold_id was used with different flights or seats.", details);
    default:
      return new AppError("internal_error", `unexpected inventory script code ${code}`, details);
  }
}
