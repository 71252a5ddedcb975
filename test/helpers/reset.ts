import type { Sql } from "../../lib/postgres-plugin.js";
import { eachMaster } from "../../lib/redis-nodes.js";
import type { RedisClient } from "../../lib/redis-plugin.js";

/**
 * Empties the test file's stores: its Redis database (FLUSHDB: the other databases belong to
 * files running alongside, see isolation.ts) and every table of each given PostgreSQL database
 * but the migrations' own, with identities restarted so that seeded ids are 1, 2, ….
 */
export async function resetStores(redis: RedisClient, ...databases: Sql[]): Promise<void> {
  await eachMaster(redis, (node) => node.flushdb());
  for (const sql of databases) {
    const tables = await sql<{ t: string }[]>`
      SELECT quote_ident(tablename) AS t FROM pg_tables
      WHERE schemaname = 'public' AND tablename <> 'schema_migrations'`;
    if (tables.length > 0) await sql.unsafe(`TRUNCATE ${tables.map((r) => r.t).join(", ")} RESTART IDENTITY CASCADE`);
  }
}
