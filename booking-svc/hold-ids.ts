import { randomBytes } from "node:crypto";

// A booking's hold in flight-svc outlives bookings_db's ids (migration 019): its name carries a
// nonce of the booking's own, made when the hold is placed, before the row that stores it.

/** 16 hex digits, as key_nonce (migration 012). */
export const newHoldNonce = (): string => randomBytes(8).toString("hex");

/** The booking's own hold id, as bookings.hold_id makes it; null nonce: a row from before migration 019. */
export const bookingHoldId = (id: number, nonce: string | null): string =>
  nonce === null ? `bk-${id}` : `bk-${id}-${nonce}`;
