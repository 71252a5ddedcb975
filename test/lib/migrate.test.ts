import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { MIGRATIONS, migrate } from "../../lib/migrate.js";
import { scratchDatabase } from "../helpers/scratch-database.js";

for (const [db, dir] of Object.entries(MIGRATIONS)) {
  t.test(`${db} migrations apply once, then re-running is a no-op`, async (t) => {
    const sql = await scratchDatabase(t, `migrate_test_${db}`);
    const first = await migrate(sql, dir);
    t.ok(first.length > 0, "applies the files");
    t.same(first, [...first].sort(), "in name order");
    t.same(await migrate(sql, dir), [], "second run applies nothing");
    const recorded = await sql<{ name: string }[]>`SELECT name FROM schema_migrations ORDER BY name`;
    t.same(
      recorded.map((r) => r.name),
      first,
    );
  });
}

t.test("concurrent migrators apply each file exactly once", async (t) => {
  const sql = await scratchDatabase(t, "migrate_test_concurrent");
  const runs = await Promise.all([migrate(sql, MIGRATIONS.flights), migrate(sql, MIGRATIONS.flights)]);
  t.equal(runs.flat().length, runs[0]!.length + runs[1]!.length);
  t.ok(runs[0]!.length === 0 || runs[1]!.length === 0, "one of them found everything done");
});

t.test("flights_db refuses booked_seats outside 0..total_seats", async (t) => {
  const sql = await scratchDatabase(t, "migrate_test_check");
  await migrate(sql, MIGRATIONS.flights);
  const insert = (booked: number) => sql`
    INSERT INTO flights (flight_number, source, destination, departure_time, arrival_time, total_seats, booked_seats, price)
    VALUES ('AI101', 'DEL', 'BOM', '2024-02-15T08:00:00Z', '2024-02-15T10:30:00Z', 180, ${booked}, 8500)`;
  await t.resolves(insert(180));
  await t.rejects(insert(181), { message: /booked_within_total/ });
  await t.rejects(insert(-1), { message: /booked_within_total/ });
});

t.test("a file PostgreSQL refuses is named in the error, and the run leaves the database as it was", async (t) => {
  const sql = await scratchDatabase(t, "migrate_test_refused");
  const dir = await mkdtemp(join(tmpdir(), "skybook-migrations-"));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, "001_things.sql"), "CREATE TABLE things (id integer);\n");
  await writeFile(join(dir, "002_things_again.sql"), "CREATE TABLE things (id integer);\n");
  await t.rejects(migrate(sql, dir), {
    name: "MigrationError",
    file: "002_things_again.sql",
    message: '002_things_again.sql: relation "things" already exists',
  });
  t.same(await sql`SELECT to_regclass('things') AS t, to_regclass('schema_migrations') AS m`, [{ t: null, m: null }]);
});
