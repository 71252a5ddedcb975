import { randomBytes } from "node:crypto";
import { bookingRef } from "../contracts/flight-svc/booking-ref.js";

// A booking's hold in flight-svc outlives bookings_db's ids (migration 019): its name carries a
// nonce of the booking's own, made when the hold is placed, before the row that stores it.

/** 16 hex digits, as key_nonce (migration 012). */
export const newHoldNonce = (): string => randomBytes(8).toString("hex");

/** The booking's own hold id, as bookings.hold_id makes it. */
export const bookingHoldId = (id: number, nonce: string | null): string => `bk-${bookingRef(id, nonce)}`;
