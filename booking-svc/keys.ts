// Every Redis key of booking-svc is built here. Every command touches one key, so on Redis
// Cluster none spans slots and the names need no hash tag.

export const keys = {
  /** The temporary booking kept while its hold lives. */
  tempBooking: (bookingId: number | string) => `booking:temp:${bookingId}`,
  /** The record of one Idempotency-Key of one user (IdempotencyStore.scope). */
  idempotency: (key: string) => `idem:booking:${key}`,
};
