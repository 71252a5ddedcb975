// Applies the migrations of flights_db, bookings_db and users_db: `tsx scripts/migrate.ts`.
// With --pending it applies nothing: it names the migrations not applied yet and exits 1 if any
// (scripts/services.sh asks before it migrates under services that still run).
import { MIGRATIONS, MigrationError, migrate, pendingMigrations } from "../lib/migrate.js";
import { createSql } from "../lib/postgres-plugin.js";
import { configOrExit } from "../lib/server.js";
import { isMain, run, storesOf } from "./data/cli.js";
import { type DataConfig, loadDataConfig } from "./data/config.js";

type Urls = Pick<DataConfig, "flightsDatabaseUrl" | "bookingsDatabaseUrl" | "usersDatabaseUrl">;

const databases = (config: Urls) =>
  [
    ["flights_db", config.flightsDatabaseUrl, MIGRATIONS.flights],
    ["bookings_db", config.bookingsDatabaseUrl, MIGRATIONS.bookings],
    ["users_db", config.usersDatabaseUrl, MIGRATIONS.users],
  ] as const;

/** Each database's migrations not applied yet, as lines `<database>: <file>`. */
export async function pendingAll(config: Urls = loadDataConfig()): Promise<string[]> {
  const lines: string[] = [];
  for (const [name, url, dir] of databases(config)) {
    const sql = createSql(url, 1);
    try {
      for (const file of await pendingMigrations(sql, dir)) lines.push(`${name}: ${file}`);
    } finally {
      await sql.end({ timeout: 5 });
    }
  }
  return lines;
}

export async function migrateAll(config: Urls = loadDataConfig()): Promise<void> {
  for (const [name, url, dir] of databases(config)) {
    const sql = createSql(url, 1);
    try {
      const applied = await migrate(sql, dir);
      console.log(`migrate: ${name}: ${applied.length ? `applied ${applied.join(", ")}` : "up to date"}`);
    } catch (err) {
      throw err instanceof MigrationError ? new Error(`${name}: ${err.message}`, { cause: err }) : err;
    } finally {
      await sql.end({ timeout: 5 });
    }
  }
}

if (isMain(import.meta.url)) {
  const config = configOrExit("migrate", loadDataConfig);
  run(
    "migrate",
    async () => {
      if (process.argv.includes("--pending")) {
        const pending = await pendingAll(config);
        for (const line of pending) console.log(`migrate: pending ${line}`);
        return pending.length ? 1 : 0;
      }
      await migrateAll(config);
      return 0;
    },
    storesOf(config),
  );
}
