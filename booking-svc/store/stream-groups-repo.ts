import type { Sql } from "../../lib/postgres-plugin.js";

/**
 * The consumer groups booking-svc has made on Redis streams (migration 018): a group Redis no
 * longer has, but which is recorded here, was lost with Redis' data.
 */
export class StreamGroupsRepo {
  constructor(private readonly sql: Sql) {}

  /** Records `name` as made; true when it had been made before. */
  async madeBefore(name: string): Promise<boolean> {
    const rows = await this.sql`
      INSERT INTO stream_groups (name) VALUES (${name}) ON CONFLICT (name) DO NOTHING RETURNING name`;
    return rows.length === 0;
  }
}
