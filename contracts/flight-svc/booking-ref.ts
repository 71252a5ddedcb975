import { Type } from "@sinclair/typebox";

// A booking as flight-svc knows it: by its ref, "<id>-<hold nonce>", which outlives bookings_db's
// ids (a restore or reset gives ids again), or "<id>" for a booking made before booking-svc's
// migration 019 gave it a nonce. booking-svc names its holds bk-<ref> (a change's new legs
// bk-<ref>-c<n>), so flight-svc reads the ref from a hold id, and check-in asks by it.

/** The nonce of a booking's hold id (bookings.hold_nonce): 16 hex digits. */
export const HoldNonce = Type.String({ pattern: "^[0-9a-f]{16}$" });

export const bookingRef = (id: number, nonce: string | null | undefined): string =>
  nonce == null ? `${id}` : `${id}-${nonce}`;

/** The ref of the booking a hold id names; null for other operations. As seat_ledger.booking_ref (migration 010). */
export function bookingRefOfHold(opId: string): string | null {
  return /^bk-([0-9]{1,18}(?:-[0-9a-f]{16})?)(?:-|$)/.exec(opId)?.[1] ?? null;
}
