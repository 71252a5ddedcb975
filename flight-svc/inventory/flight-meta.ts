import { LRUCache } from "lru-cache";
import type { Sql } from "../../lib/postgres-plugin.js";
import { TurnReads } from "../../lib/turn-reads.js";

export interface FlightMeta {
  id: number;
  status: "scheduled" | "delayed" | "cancelled";
  departureDate: string;
  price: number;
}

// Holds and validations ask for a flight's status, date and price on every request; a short
// cache keeps PostgreSQL off that path. A change made through this instance drops its entry at
// once (`forget`); one made through another instance is seen here within the TTL. A flight
// cancelled within it can still be held, but never confirmed: the confirm's SQL checks the
// status again.
const TTL_MS = 1_000;

type Meta = FlightMeta | "missing";

export class FlightMetaCache {
  private readonly cache: LRUCache<number, Meta>;

  constructor(
    private readonly sql: Sql,
    ttlMs = TTL_MS,
  ) {
    this.cache = new LRUCache<number, Meta>({ max: 50_000, ttl: ttlMs });
  }

  /** Meta of each flight, in the order given; null for a flight that does not exist. */
  async get(ids: number[]): Promise<(FlightMeta | null)[]> {
    // Answers come from what was read here, never from a second cache lookup: an entry may
    // expire while the query for the others runs.
    const found = new Map<number, Meta>();
    const missing: number[] = [];
    for (const id of ids) {
      const m = this.cache.get(id);
      if (m === undefined) missing.push(id);
      else found.set(id, m);
    }
    if (missing.length > 0) for (const [id, m] of await this.load(missing)) found.set(id, m);
    return ids.map((id) => {
      const m = found.get(id);
      return m === undefined || m === "missing" ? null : m;
    });
  }

  /**
   * After a change to the flight committed: the next read goes to PostgreSQL. A read already
   * running may have seen the row before the change, so its answer is not cached.
   */
  forget(id: number): void {
    this.cache.delete(id);
    this.loading.delete(id);
    this.changes++;
  }

  /** Counts forget() calls: a query that saw one while it ran caches nothing. */
  private changes = 0;

  // The flights being read, each with the query that reads it: concurrent requests for a flight
  // whose entry just expired share one query, and the misses of one turn of the event loop
  // (requests parsed together under load, each holding another flight) are read by one query.
  private readonly loading = new Map<number, Promise<Meta>>();
  private readonly reads = new TurnReads<Meta>((ids) => this.query(ids));

  private async load(ids: number[]): Promise<Map<number, Meta>> {
    for (const id of ids) {
      if (this.loading.has(id)) continue;
      // A forget() may have put a newer read in its place by the time this one ends.
      const read: Promise<Meta> = this.reads
        .read([id])
        .then(([m]) => m as Meta)
        .finally(() => {
          if (this.loading.get(id) === read) this.loading.delete(id);
        });
      this.loading.set(id, read);
    }
    const metas = await Promise.all(ids.map((id) => this.loading.get(id) as Promise<Meta>));
    return new Map(ids.map((id, i) => [id, metas[i] as Meta]));
  }

  /** Each flight's meta, in the order given ("missing" for one that does not exist), cached. */
  private async query(ids: number[]): Promise<Meta[]> {
    const changesBefore = this.changes;
    const rows = await this.sql<{ id: number; status: FlightMeta["status"]; date: string; price: number }[]>`
      SELECT id::float8, status, to_char(departure_time AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date, price
      FROM flights WHERE id = ANY(${ids}::bigint[])`;
    const found = new Map<number, Meta>(
      rows.map((r) => [r.id, { id: r.id, status: r.status, departureDate: r.date, price: r.price }]),
    );
    return ids.map((id) => {
      const m = found.get(id) ?? "missing";
      if (this.changes === changesBefore) this.cache.set(id, m);
      return m;
    });
  }
}
