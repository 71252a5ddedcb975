// Every Redis key of booking-svc is built here.

export const keys = {
  /** The temporary booking kept while its hold lives. */
  tempBooking: (bookingId: number | string) => `booking:temp:${bookingId}`,
  /** The record of one Idempotency-Key of one user (IdempotencyStore.scope). */
  idempotency: (key: string) => `idem:booking:${key}`,
};
