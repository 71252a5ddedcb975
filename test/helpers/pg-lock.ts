import { setTimeout as sleep } from "node:timers/promises";
import type postgres from "postgres";
import { createSql, type Sql } from "../../lib/postgres-plugin.js";

export interface TableLock {
  /** Ends the locking transaction (idempotent); resolves once the lock is gone. */
  release(): Promise<void>;
}

/**
 * Locks the flights table (ACCESS EXCLUSIVE: even reads wait) in a transaction of its own,
 * until release(): how a test makes flight-svc's PostgreSQL reads stall.
 */
export function lockFlights(url: string): Promise<TableLock> {
  return holdLock(url, (tx) => tx`LOCK TABLE flights IN ACCESS EXCLUSIVE MODE`);
}

/** Locks one flight's row (reads go on, its writers wait) until release(). */
export function lockFlightRow(url: string, id: number): Promise<TableLock> {
  return holdLock(url, (tx) => tx`SELECT id FROM flights WHERE id = ${id} FOR UPDATE`);
}

let checkIns = 0;

/**
 * A check-in's foreign-key lock on one flight's row, held until release(): the transaction seats
 * a passenger (of a booking no other call uses), whose row's foreign key locks the flight's row
 * FOR KEY SHARE, as every check-in's seats do.
 */
export function checkInOnFlight(url: string, id: number): Promise<TableLock> {
  checkIns += 1;
  const n = checkIns;
  return holdLock(
    url,
    (tx) => tx`INSERT INTO seat_assignments (flight_id, seat, booking_ref, passenger, sequence)
               VALUES (${id}, ${`${n}Z`}, ${`${900_000_000 + n}`}, 0, ${n})`,
  );
}

async function holdLock(url: string, lock: (tx: postgres.TransactionSql) => Promise<unknown>): Promise<TableLock> {
  const sql = createSql(url, 1);
  let unlock: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    unlock = resolve;
  });
  let locked: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const tx = sql.begin(async (tx) => {
    await lock(tx);
    locked();
    await held;
  });
  await Promise.race([ready, tx]);
  let released: Promise<void> | null = null;
  return {
    release() {
      released ??= (async () => {
        unlock();
        await tx;
        await sql.end({ timeout: 5 });
      })();
      return released;
    },
  };
}

/** Resolves once some statement waits for a lock in the database `sql` points at. */
export async function waitForLockWaiter(sql: Sql, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const [row] = await sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    if ((row?.n ?? 0) > 0) return;
    await sleep(20);
  }
  throw new Error("no statement started waiting for the lock");
}

/**
 * Whether `work` ends before any statement in the database `sql` points at waits for a lock:
 * false as soon as one waits (the caller then ends what holds it, which lets `work` end).
 */
export async function endsWithoutLockWait(sql: Sql, work: Promise<unknown>): Promise<boolean> {
  let ended = false;
  work.then(
    () => {
      ended = true;
    },
    () => {
      ended = true;
    },
  );
  for (;;) {
    if (ended) return true;
    const [row] = await sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    if (ended) return true;
    if ((row?.n ?? 0) > 0) return false;
    await sleep(10);
  }
}
