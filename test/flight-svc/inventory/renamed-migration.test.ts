import { cp, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t, { type Test } from "tap";
import { MIGRATIONS, migrate } from "../../../lib/migrate.js";
import { scratchDatabase } from "../../helpers/scratch-database.js";

// flights_db as the release of 2026-12-02 08:02 (d3440d0) left it: book_seats_many came in as
// 008_book_seats_many.sql, after a 007 that only set book_seats_batch's plan mode. Both files were
// then folded into today's 007_book_seats_many.sql.
async function migratedAsOfTheRename(t: Test) {
  const sql = await scratchDatabase(t, "migrate_test_renamed_007");
  const before = await mkdtemp(join(tmpdir(), "skybook-migrations-"));
  t.teardown(() => rm(before, { recursive: true, force: true }));
  for (const f of (await readdir(MIGRATIONS.flights)).filter((f) => f < "007")) {
    await cp(join(MIGRATIONS.flights, f), join(before, f));
  }
  await writeFile(
    join(before, "007_book_seats_batch_custom_plans.sql"),
    "ALTER FUNCTION book_seats_batch(bigint[], text[], text[], integer[], text[]) SET plan_cache_mode = force_custom_plan;\n",
  );
  await cp(join(MIGRATIONS.flights, "007_book_seats_many.sql"), join(before, "008_book_seats_many.sql"));
  await migrate(sql, before);
  return sql;
}

t.test("a flights_db migrated when 007 was 008_book_seats_many.sql takes today's migrations", async (t) => {
  const sql = await migratedAsOfTheRename(t);
  await sql`
    INSERT INTO flights (flight_number, source, destination, departure_time, arrival_time, total_seats, booked_seats, price)
    VALUES ('AI101', 'DEL', 'BOM', '2024-02-15T08:00:00Z', '2024-02-15T10:30:00Z', 180, 50, 8500)`;

  const fromThe007On = (await readdir(MIGRATIONS.flights)).filter((f) => f >= "007" && f.endsWith(".sql")).sort();
  t.same(await migrate(sql, MIGRATIONS.flights), fromThe007On, "today's 007 and every file after it");
  t.same(await migrate(sql, MIGRATIONS.flights), [], "a second run applies nothing");

  const functions = await sql<{ proname: string }[]>`
    SELECT proname FROM pg_proc WHERE proname IN ('book_seats_batch', 'book_seats_many', 'seat_batch_refused')
    ORDER BY proname`;
  t.same(
    functions.map((f) => f.proname),
    ["seat_batch_refused"],
    "the functions of a database migrated from scratch",
  );
  t.same(await sql`SELECT flight_number, booked_seats FROM flights`, [{ flight_number: "AI101", booked_seats: 50 }]);
});
