import type { Flight } from "../../contracts/flight-svc/flights.js";
import type { Sql } from "../../lib/postgres-plugin.js";
import type { FlightRow } from "../search/flight-record.js";
import { insertFlight, type NewFlight } from "./repo.js";

// POST /api/flights under an Idempotency-Key (migration 011): the key row and the flight commit
// together, so PostgreSQL alone decides; nothing of it is in Redis, which a flush would forget.

/** A key as stored: whose it is (the caller's user id; "" with AUTH_MODE=off), and the body's hash. */
export interface FlightKey {
  caller: string;
  key: string;
  hash: string;
}

export type KeyedInsert =
  | { kind: "created"; row: FlightRow }
  | { kind: "replay"; answer: Flight }
  | { kind: "in_progress" }
  | { kind: "mismatch" };

/** DESIGN.md invariant 4: keys live 24 h. */
export const FLIGHT_KEY_TTL_HOURS = 24;

// Advisory lock class of a key being worked on (cabin-lock.ts has another); the object id is a
// hash of the key, so two keys may share a lock at worst, and then one of them gets a 409.
const KEY_LOCK = 7_340_011;

/**
 * Inserts the flight under `key` unless the key is taken. A request with the key still running
 * holds its lock: a duplicate is not made to wait (409 in_progress), and one that comes after its
 * commit sees its row. `answerOf` is the answer stored for a replay.
 */
export async function insertKeyedFlight(
  sql: Sql,
  flight: NewFlight,
  key: FlightKey,
  answerOf: (row: FlightRow) => Flight,
): Promise<KeyedInsert> {
  return sql.begin(async (tx): Promise<KeyedInsert> => {
    const [lock] = await tx<{ held: boolean }[]>`
      SELECT pg_try_advisory_xact_lock(${KEY_LOCK}, hashtext(${key.caller} || ':' || ${key.key})) AS held`;
    if (!lock?.held) return { kind: "in_progress" };
    // Pruning here keeps the table to a day of keys without a job of its own; the index makes
    // it a look at the few keys that expired since the last keyed create.
    await tx`DELETE FROM flight_idempotency_keys
      WHERE created_at < now() - make_interval(hours => ${FLIGHT_KEY_TTL_HOURS})`;
    const [taken] = await tx<{ request_hash: string; answer: Flight }[]>`
      SELECT request_hash, answer FROM flight_idempotency_keys WHERE caller = ${key.caller} AND key = ${key.key}`;
    if (taken) return taken.request_hash === key.hash ? { kind: "replay", answer: taken.answer } : { kind: "mismatch" };
    const row = await insertFlight(tx, flight);
    await tx`INSERT INTO flight_idempotency_keys (caller, key, request_hash, flight_id, answer)
      VALUES (${key.caller}, ${key.key}, ${key.hash}, ${row.id}, ${tx.json(answerOf(row) as never)})`;
    return { kind: "created", row };
  });
}
