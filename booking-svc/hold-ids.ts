import { randomBytes } from "node:crypto";

// A booking's hold in flight-svc outlives bookings_db's ids (migration 019): its name carries a
// nonce of the booking's own, made when the hold is placed, before the row that stores it.

/** 16 hex digits, as key_nonce (migration 012). */
export const newHoldNonce = (): string => randomBytes(8).toString("hex");

/**
 * The booking in names that outlive its row (hold ids, notice dedupe ids): its id and hold nonce,
 * or its id alone for a row from before migration 019, whose names must stay what they were.
 */
export const bookingRef = (id: number, nonce: string | null): string => (nonce === null ? `${id}` : `${id}-${nonce}`);

/** The booking's own hold id, as bookings.hold_id makes it. */
export const bookingHoldId = (id: number, nonce: string | null): string => `bk-${bookingRef(id, nonce)}`;
