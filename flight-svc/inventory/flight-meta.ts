import { LRUCache } from "lru-cache";
import type { Sql } from "../../lib/postgres-plugin.js";

export interface FlightMeta {
  id: number;
  status: "scheduled" | "delayed" | "cancelled";
  departureDate: string;
  price: number;
}

// Holds and validations ask for a flight's status, date and price on every request; a short
// cache keeps PostgreSQL off that path. A flight cancelled within the TTL can still be held,
// but never confirmed: the confirm's SQL checks the status again.
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

  // The flights being read, each with the query that reads it: concurrent requests for a flight
  // whose entry just expired share one query. Misses of one turn of the event loop (requests
  // parsed together under load, each holding another flight) are read by one query, sent when
  // that turn ends, as the search's seat reads are (search/seat-reads.ts).
  private readonly loading = new Map<number, Promise<Map<number, Meta>>>();
  private queued: number[] = [];
  private next: Promise<Map<number, Meta>> | null = null;

  private async load(ids: number[]): Promise<Map<number, Meta>> {
    for (const id of ids) {
      if (this.loading.has(id)) continue;
      this.queued.push(id);
      this.loading.set(id, this.nextQuery());
    }
    const pending = ids.map((id) => this.loading.get(id) as Promise<Map<number, Meta>>);
    const loaded = new Map<number, Meta>();
    for (const [i, result] of (await Promise.all(pending)).entries()) {
      const id = ids[i] as number;
      loaded.set(id, result.get(id) ?? "missing");
    }
    return loaded;
  }

  /** The query that will read the flights queued in this turn. */
  private nextQuery(): Promise<Map<number, Meta>> {
    if (!this.next) {
      this.next = new Promise((resolve, reject) => {
        setImmediate(() => {
          const ids = this.queued;
          this.queued = [];
          this.next = null;
          this.query(ids)
            .finally(() => {
              for (const id of ids) this.loading.delete(id);
            })
            .then(resolve, reject);
        });
      });
    }
    return this.next;
  }

  private async query(ids: number[]): Promise<Map<number, Meta>> {
    const rows = await this.sql<{ id: number; status: FlightMeta["status"]; date: string; price: number }[]>`
      SELECT id::int, status, to_char(departure_time AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date, price
      FROM flights WHERE id = ANY(${ids}::bigint[])`;
    const result = new Map<number, Meta>(ids.map((id) => [id, "missing"]));
    for (const r of rows) result.set(r.id, { id: r.id, status: r.status, departureDate: r.date, price: r.price });
    for (const [id, m] of result) this.cache.set(id, m);
    return result;
  }
}
