import type { Sql } from "../../lib/postgres-plugin.js";
import { GroupedWrites } from "./grouped-writes.js";

// A booking's hold is placed before its row exists, under the hold id the row will have
// (bk-<id>-<nonce>, migration 019): the id is taken from the row's own sequence first. Requests that
// arrive together share one nextval query, so the reservation costs about one statement per
// burst, not per booking. An id whose row is never written (a refused request, a crash) is a gap.
const MAX_GROUP = 256;

export class BookingIds {
  private readonly group: GroupedWrites<null, number>;

  constructor(sql: Sql) {
    this.group = new GroupedWrites(async (asks) => {
      const rows = await sql<{ id: string }[]>`
        SELECT nextval('bookings_id_seq') AS id FROM generate_series(1, ${asks.length}::int)`;
      return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
    }, MAX_GROUP);
  }

  /** An id no other booking has or will get. */
  next(): Promise<number> {
    return this.group.add(null);
  }
}
