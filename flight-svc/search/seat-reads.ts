import type { AvailabilityReader } from "./select.js";

/** Flights per read; a larger union is split into reads issued together. */
const MAX_IDS_PER_READ = 512;

interface Waiting {
  ids: number[];
  resolve: (values: (number | null)[]) => void;
  reject: (err: unknown) => void;
}

/**
 * Seat reads of concurrent searches merged into one: every search that asks during one turn
 * of the event loop (requests parsed together under load) gets its seats from the same read,
 * sent when that turn ends: one MGET on one node, one pipeline per node on Redis Cluster
 * (SeatCounters.availableSeats, lib/redis-nodes.ts). Under load this divides the Redis round trips, the largest cost of
 * a cached search, by the number of searches in flight; alone, a search waits for nothing.
 * Counts stay live: each read happens after its searches asked.
 */
export class SeatReads {
  private waiting: Waiting[] = [];
  private scheduled = false;

  constructor(
    private readonly source: AvailabilityReader,
    private readonly onRead: () => void,
  ) {}

  readonly read: AvailabilityReader = (ids) =>
    new Promise((resolve, reject) => {
      this.waiting.push({ ids, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    this.scheduled = false;
    const unique = [...new Set(batch.flatMap((w) => w.ids))];
    try {
      const parts: Promise<(number | null)[]>[] = [];
      for (let i = 0; i < unique.length; i += MAX_IDS_PER_READ) {
        this.onRead();
        parts.push(this.source(unique.slice(i, i + MAX_IDS_PER_READ)));
      }
      const values = (await Promise.all(parts)).flat();
      const seats = new Map(unique.map((id, i) => [id, values[i] ?? null]));
      for (const w of batch) w.resolve(w.ids.map((id) => seats.get(id) ?? null));
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  }
}
