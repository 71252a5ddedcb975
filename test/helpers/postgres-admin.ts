import postgres from "postgres";
import type { Sql } from "../../lib/postgres-plugin.js";

export function withPath(url: string, path: string): string {
  const u = new URL(url);
  u.pathname = path;
  return u.toString();
}

/**
 * One connection to the `postgres` database of the server `url` names, for CREATE DATABASE and
 * for session locks: it is never closed for being idle or old (createSql's pool would, and a
 * session lock would go with it).
 */
export function adminSql(url: string): Sql {
  return postgres(withPath(url, "/postgres"), { max: 1, idle_timeout: 0, max_lifetime: 0, onnotice: () => {} });
}

// Any fixed number: the first key of the two-key advisory locks that test files take.
export const TEST_LOCK_SPACE = 7_340_011;
/** Second keys: 1–15 are the store slots (isolation.ts); this one is for building dist/. */
const DIST_LOCK = 100;

/**
 * Runs `fn` while no other test file builds dist/ (scripts/services.sh up runs scripts/build.sh):
 * two builds side by side rewrite the same files while the other's services load them.
 */
export async function whileNoOtherBuild<T>(fn: () => Promise<T>): Promise<T> {
  const url = process.env.FLIGHTS_DATABASE_URL;
  if (!url) return fn();
  const admin = adminSql(url);
  try {
    await admin`SELECT pg_advisory_lock(${TEST_LOCK_SPACE}, ${DIST_LOCK})`;
    return await fn();
  } finally {
    await admin.end({ timeout: 5 });
  }
}
