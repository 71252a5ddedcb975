import { setTimeout as sleep } from "node:timers/promises";
import t from "tap";
import { MIGRATIONS, migrate } from "../../lib/migrate.js";
import { createSql, type Sql } from "../../lib/postgres-plugin.js";
import { adminSql, TEST_LOCK_SPACE, withPath } from "./postgres-admin.js";

// Loaded by tap before every test file (package.json, tap "node-arg"), so that files can run
// side by side: each file takes a slot no other running file holds and keeps its data in the
// slot's own stores — Redis database <slot> and the PostgreSQL databases flights_db_t<slot>,
// bookings_db_t<slot> and users_db_t<slot>, created and migrated on first use. REDIS_URL,
// FLIGHTS_DATABASE_URL, BOOKINGS_DATABASE_URL and USERS_DATABASE_URL (beside flights_db on the
// same server unless given) are rewritten to point there, so the services, scripts and child
// processes a test starts use them too. Without those three variables (a unit test run by
// hand) nothing changes.

/** Redis has databases 0–15 by default; 0 stays for whoever runs the tests by hand. */
const SLOTS = 15;

const databaseName = (url: string): string => new URL(url).pathname.slice(1);

/**
 * Takes the first free slot and holds it through a session-level advisory lock on `admin`'s
 * connection: the lock goes when the connection does, even if the process is killed.
 */
async function takeSlot(admin: Sql): Promise<number> {
  for (;;) {
    for (let slot = 1; slot <= SLOTS; slot++) {
      const [row] = await admin<{ ok: boolean }[]>`SELECT pg_try_advisory_lock(${TEST_LOCK_SPACE}, ${slot}) AS ok`;
      if (row?.ok) return slot;
    }
    await sleep(200);
  }
}

async function ensureDatabase(admin: Sql, url: string, migrations: string): Promise<void> {
  const name = databaseName(url);
  const [found] = await admin`SELECT 1 FROM pg_database WHERE datname = ${name}`;
  if (!found) await admin`CREATE DATABASE ${admin(name)}`;
  const sql = createSql(url, 1);
  try {
    await migrate(sql, migrations);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

const { REDIS_URL, FLIGHTS_DATABASE_URL, BOOKINGS_DATABASE_URL } = process.env;
if (REDIS_URL && FLIGHTS_DATABASE_URL && BOOKINGS_DATABASE_URL) {
  const admin = adminSql(FLIGHTS_DATABASE_URL);
  t.teardown(() => admin.end({ timeout: 5 }));
  const slot = await takeSlot(admin);
  const flights = withPath(FLIGHTS_DATABASE_URL, `/${databaseName(FLIGHTS_DATABASE_URL)}_t${slot}`);
  const bookings = withPath(BOOKINGS_DATABASE_URL, `/${databaseName(BOOKINGS_DATABASE_URL)}_t${slot}`);
  await ensureDatabase(admin, flights, MIGRATIONS.flights);
  const users = withPath(
    process.env.USERS_DATABASE_URL ?? withPath(FLIGHTS_DATABASE_URL, "/users_db"),
    `/users_db_t${slot}`,
  );
  await ensureDatabase(admin, bookings, MIGRATIONS.bookings);
  await ensureDatabase(admin, users, MIGRATIONS.users);
  process.env.REDIS_URL = withPath(REDIS_URL, `/${slot}`);
  process.env.FLIGHTS_DATABASE_URL = flights;
  process.env.BOOKINGS_DATABASE_URL = bookings;
  process.env.USERS_DATABASE_URL = users;
}
