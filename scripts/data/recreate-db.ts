import { createSql } from "../../lib/postgres-plugin.js";

export interface Recreated {
  database: string;
  /** "recreated": dropped and created again; "schema": its schema public dropped and created again. */
  how: "recreated" | "schema";
  /** Why the database itself could not be dropped, when it was the schema. */
  reason?: string;
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}

/** Same server, same database: one reset serves both URLs. */
export function databaseKey(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || "5432"}/${decodeURIComponent(u.pathname.slice(1))}`;
}

async function dropAndCreate(url: string, database: string): Promise<void> {
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const sql = createSql(admin.toString(), 1);
  try {
    // Checked first: a role that may drop its database but not create one would lose it.
    const [role] = await sql<{ ok: boolean }[]>`
      SELECT rolsuper OR rolcreatedb AS ok FROM pg_roles WHERE rolname = current_user`;
    if (!role?.ok) throw new Error(`role ${admin.username || "(default)"} may not create databases`);
    // FORCE ends the sessions still open on it (running services reconnect to the new one).
    await sql`DROP DATABASE IF EXISTS ${sql(database)} WITH (FORCE)`;
    await sql`CREATE DATABASE ${sql(database)}`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function dropSchema(url: string): Promise<void> {
  const sql = createSql(url, 1);
  try {
    await sql.begin(async (tx) => {
      await tx`DROP SCHEMA IF EXISTS public CASCADE`;
      await tx`CREATE SCHEMA public`;
    });
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * Empties the database of `url`: drops and re-creates it through the server's "postgres"
 * database when the role may; otherwise (a managed server, say) drops and re-creates its schema
 * public, which holds every table the migrations make. Throws, naming both reasons, if neither works.
 */
export async function recreateDatabase(url: string): Promise<Recreated> {
  const database = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!database) throw new Error(`${redact(url)}: no database name in the URL`);
  let reason = "it is the server's maintenance database";
  if (database !== "postgres") {
    try {
      await dropAndCreate(url, database);
      return { database, how: "recreated" };
    } catch (err) {
      reason = (err as Error).message;
    }
  }
  try {
    await dropSchema(url);
  } catch (err) {
    // The cause: a server that refuses connections is named as such (scripts/data/cli.ts).
    throw new Error(
      `${redact(url)}: could not drop the database (${reason}) nor its schema public (${(err as Error).message})`,
      { cause: err },
    );
  }
  return { database, how: "schema", reason };
}
