// Whose bookings a caller may create, read, list and cancel. A customer acts for themselves
// alone and another user's booking is absent to them (404), so counting ids reveals nothing; an
// admin may act on any booking. With AUTH_MODE=off there is no caller: the body's or query's
// user_id says whose, as in the original.
import type { Caller } from "../lib/auth/verify.js";
import { AppError, validationError } from "../lib/errors.js";

const required = () => validationError("user_id", "user_id is required");

/** The user a new booking belongs to. */
export function ownerOfNew(caller: Caller | null, given: number | undefined): number {
  if (!caller) {
    if (given === undefined) throw required();
    return given;
  }
  if (caller.role === "admin") return given ?? caller.userId;
  if (given !== undefined && given !== caller.userId) {
    throw new AppError("forbidden", "user_id must be your own user id (or left out): a customer books for themselves.");
  }
  return caller.userId;
}

/** The only user whose booking the caller may see, or null for any (an admin, or no caller and no user_id). */
export function visibleOwner(caller: Caller | null, given: number | undefined): number | null {
  if (caller && caller.role !== "admin") return caller.userId;
  return given ?? null;
}

/** The booking when the caller may act on it (cancel, change, check in): another user's is absent. */
export function visibleBooking<B extends { userId: number }>(caller: Caller | null, id: number, b: B | null): B {
  const owner = visibleOwner(caller, undefined);
  if (!b || (owner !== null && b.userId !== owner)) throw bookingNotFound(id);
  return b;
}

/** The user whose bookings a list shows. */
export function listedOwner(caller: Caller | null, given: number | undefined): number {
  if (!caller || caller.role === "admin") {
    if (given === undefined) throw required();
    return given;
  }
  if (given !== undefined && given !== caller.userId) {
    throw new AppError(
      "forbidden",
      "user_id must be your own user id (or left out): a customer lists their own bookings.",
    );
  }
  return caller.userId;
}

export const bookingNotFound = (id: number) =>
  new AppError("booking_not_found", `Booking ${id} was not found.`, { booking_id: id });
