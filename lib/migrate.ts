import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import postgres from "postgres";
import { projectPath } from "./paths.js";
import type { Sql } from "./postgres-plugin.js";

// Any fixed number: every migrator of the same database takes the same advisory lock, so
// services starting side by side apply each file exactly once.
const LOCK_KEY = 7_340_001;

/** Each database's migrations, in the service that owns it. */
export const MIGRATIONS = {
  flights: projectPath("flight-svc", "migrations"),
  bookings: projectPath("booking-svc", "migrations"),
  users: projectPath("user-svc", "migrations"),
};

/** A migration file PostgreSQL refused; the message starts with the file's name. */
export class MigrationError extends Error {
  override readonly name = "MigrationError";

  constructor(
    readonly file: string,
    cause: Error,
  ) {
    super(`${file}: ${cause.message}`, { cause });
  }
}

/** The migrations of `dir`: its .sql files, in name order, the order they are applied in. */
async function sqlFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.endsWith(".sql")).sort();
}

/** The .sql files of `dir` the database has not had, in name order: what `migrate` would apply. */
export async function pendingMigrations(sql: Sql, dir: string): Promise<string[]> {
  const files = await sqlFiles(dir);
  const [table] = await sql<{ exists: boolean }[]>`SELECT to_regclass('schema_migrations') IS NOT NULL AS exists`;
  if (!table?.exists) return files;
  const done = new Set((await sql<{ name: string }[]>`SELECT name FROM schema_migrations`).map((r) => r.name));
  return files.filter((f) => !done.has(f));
}

/** Applies the .sql files of `dir` in name order, each once, recording them in schema_migrations. */
export async function migrate(sql: Sql, dir: string): Promise<string[]> {
  const files = await sqlFiles(dir);
  const applied: string[] = [];
  await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${LOCK_KEY})`;
    await tx`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`;
    const done = new Set((await tx<{ name: string }[]>`SELECT name FROM schema_migrations`).map((r) => r.name));
    for (const file of files) {
      if (done.has(file)) continue;
      try {
        await tx.unsafe(await readFile(join(dir, file), "utf8"));
      } catch (err) {
        // PostgreSQL's message names an object, not the file that touched it.
        throw err instanceof postgres.PostgresError ? new MigrationError(file, err) : err;
      }
      await tx`INSERT INTO schema_migrations (name) VALUES (${file})`;
      applied.push(file);
    }
  });
  return applied;
}
