// Applies the migrations of flights_db, bookings_db and users_db: `tsx scripts/migrate.ts`.
import { MIGRATIONS, MigrationError, migrate } from "../lib/migrate.js";
import { createSql } from "../lib/postgres-plugin.js";
import { configOrExit } from "../lib/server.js";
import { isMain, run, storesOf } from "./data/cli.js";
import { type DataConfig, loadDataConfig } from "./data/config.js";

export async function migrateAll(
  config: Pick<DataConfig, "flightsDatabaseUrl" | "bookingsDatabaseUrl" | "usersDatabaseUrl"> = loadDataConfig(),
): Promise<void> {
  for (const [name, url, dir] of [
    ["flights_db", config.flightsDatabaseUrl, MIGRATIONS.flights],
    ["bookings_db", config.bookingsDatabaseUrl, MIGRATIONS.bookings],
    ["users_db", config.usersDatabaseUrl, MIGRATIONS.users],
  ] as const) {
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
      await migrateAll(config);
      return 0;
    },
    storesOf(config),
  );
}
