import postgres from "postgres";
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

/** A statement as the client sent it: its text and its own parameters, to count or explain it. */
export interface SentStatement {
  text: string;
  params: unknown[];
}

/**
 * A second client of scratch database `name` (one connection, UTC) that records every statement
 * it sends into `sent`: a test hands it to the code under test, then counts or explains them.
 */
export function recordingClient(t: Test, name: string, sent: SentStatement[]) {
  const url = new URL(testFlightConfig().flightsDatabaseUrl);
  url.pathname = `/${name}`;
  const sql = postgres(url.toString(), {
    max: 1,
    onnotice: () => {},
    connection: { TimeZone: "UTC" },
    debug: (_conn, text, params) => sent.push({ text, params }),
  });
  t.teardown(() => sql.end());
  return sql;
}
