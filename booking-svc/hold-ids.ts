import { randomBytes } from "node:crypto";
import { bookingRef } from "../contracts/flight-svc/booking-ref.js";

// A booking's hold in flight-svc outlives bookings_db's ids (migration 019): its name carries a
// nonce of the booking's own, made when the hold is placed, before the row that stores it.

// Taken from a pool, as crypto.randomUUID does: randomBytes per booking was a getrandom call
// each, 1.7 % of booking-svc's busy time in a burst of bookings (docs/benchmarks.md, 2026-12-06).
const NONCE_BYTES = 8;
const POOL_BYTES = NONCE_BYTES * 512;
let pool = Buffer.alloc(0);
let used = 0;

/** 16 hex digits, as key_nonce (migration 012). */
export function newHoldNonce(): string {
  if (used + NONCE_BYTES > pool.length) {
    pool = randomBytes(POOL_BYTES);
    used = 0;
  }
  used += NONCE_BYTES;
  return pool.toString("hex", used - NONCE_BYTES, used);
}

/** The booking's own hold id, as bookings.hold_id makes it. */
export const bookingHoldId = (id: number, nonce: string | null): string => `bk-${bookingRef(id, nonce)}`;
