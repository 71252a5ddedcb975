import type postgres from "postgres";

// A flight's cabin follows its total_seats (contracts/flight-svc/seat-layout.ts). A check-in
// checks its seats against total_seats and a cut of total_seats checks the seats taken: each
// must see what the other committed, or a seat lands outside the new cabin. The flight's row
// lock cannot order them: check-ins hold only the foreign key's FOR KEY SHARE on it, which the
// seat writes' and changes' FOR NO KEY UPDATE lets through, so that check-ins and confirms never
// wait for each other. This transaction-level advisory lock per flight is taken shared by
// check-ins (which run side by side) and exclusive by a change of total_seats.

const CABIN_LOCK = 7_340_009;

/** For a check-in: total_seats read after this is what its commit will face. */
export async function shareCabin(tx: postgres.TransactionSql, flightId: number): Promise<void> {
  await tx`SELECT pg_advisory_xact_lock_shared(${CABIN_LOCK}, (${flightId}::bigint % 2147483647)::int)`;
}

/**
 * For a change of total_seats: check-ins running now commit first, later ones wait for this
 * change. Taken before the flight's row lock, so that a change never holds that row while it
 * waits for check-ins.
 */
export async function lockCabin(tx: postgres.TransactionSql, flightId: number): Promise<void> {
  await tx`SELECT pg_advisory_xact_lock(${CABIN_LOCK}, (${flightId}::bigint % 2147483647)::int)`;
}
