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

export class FlightMetaCache {
  private readonly cache = new LRUCache<number, FlightMeta | "missing">({ max: 50_000, ttl: TTL_MS });

  constructor(private readonly sql: Sql) {}

  /** Meta of each flight, in the order given; null for a flight that does not exist. */
  async get(ids: number[]): Promise<(FlightMeta | null)[]> {
    const missing = ids.filter((id) => !this.cache.has(id));
    if (missing.length > 0) await this.load(missing);
    return ids.map((id) => {
      const m = this.cache.get(id);
      return m === undefined || m === "missing" ? null : m;
    });
  }

  // Concurrent requests for a flight whose entry just expired share one query.
  private readonly loading = new Map<number, Promise<void>>();

  private async load(ids: number[]): Promise<void> {
    const fresh = ids.filter((id) => !this.loading.has(id));
    if (fresh.length > 0) {
      const p = this.query(fresh).finally(() => {
        for (const id of fresh) this.loading.delete(id);
      });
      for (const id of fresh) this.loading.set(id, p);
    }
    await Promise.all(ids.map((id) => this.loading.get(id)));
  }

  private async query(ids: number[]): Promise<void> {
    const rows = await this.sql<{ id: number; status: FlightMeta["status"]; date: string; price: number }[]>`
      SELECT id::int, status, to_char(departure_time AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date, price
      FROM flights WHERE id = ANY(${ids}::bigint[])`;
    for (const id of ids) this.cache.set(id, "missing");
    for (const r of rows) this.cache.set(r.id, { id: r.id, status: r.status, departureDate: r.date, price: r.price });
  }
}
