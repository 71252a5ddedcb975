import type { Test } from "tap";
import { createSql } from "../../lib/postgres-plugin.js";
import { testFlightConfig } from "./config.js";

/** A database of the test's own, dropped on teardown, so that the shared test databases are left alone. */
export async function scratchDatabase(t: Test, name: string) {
  const config = testFlightConfig();
  const admin = createSql(config.flightsDatabaseUrl, 1);
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name}`);
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(config.flightsDatabaseUrl);
  url.pathname = `/${name}`;
  const sql = createSql(url.toString(), 2);
  t.teardown(async () => {
    await sql.end();
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name}`);
    await admin.end();
  });
  return sql;
}
