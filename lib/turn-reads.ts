/** Reads values by id, one per id given, in that order. */
export type ReadByIds<V> = (ids: number[]) => Promise<V[]>;

/** Ids per read; a larger union is split into reads issued together. */
const MAX_IDS_PER_READ = 512;

interface Waiting<V> {
  ids: number[];
  resolve: (values: V[]) => void;
  reject: (err: unknown) => void;
}

/**
 * Reads of concurrent requests merged into one: every request that asks during one turn of the
 * event loop (requests parsed together under load) gets its values from the same read, sent when
 * that turn ends. Under load this divides the round trips by the number of requests in flight;
 * alone, a request waits for nothing. Values stay live: each read happens after its requests
 * asked. flight-svc reads the search's seat counts (one MGET on one Redis node) and the holds'
 * flight details (one SELECT) this way.
 */
export class TurnReads<V> {
  private waiting: Waiting<V>[] = [];
  private scheduled = false;

  constructor(
    private readonly source: ReadByIds<V>,
    private readonly onRead: () => void = () => {},
  ) {}

  readonly read: ReadByIds<V> = (ids) =>
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
      const parts: Promise<V[]>[] = [];
      for (let i = 0; i < unique.length; i += MAX_IDS_PER_READ) {
        this.onRead();
        parts.push(this.source(unique.slice(i, i + MAX_IDS_PER_READ)));
      }
      const values = (await Promise.all(parts)).flat();
      const byId = new Map(unique.map((id, i) => [id, values[i] as V]));
      for (const w of batch) w.resolve(w.ids.map((id) => byId.get(id) as V));
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  }
}
