/** Counts by name, kept as plain numbers on the hot path and read by Prometheus at scrape time. */
export class Tally<K extends string = string> {
  private readonly counts: Record<string, number> = {};

  constructor(initial: readonly K[] = []) {
    // Series that exist from the start: a rate over a series that appears late misses its first step.
    for (const k of initial) this.counts[k] = 0;
  }

  add(key: K, n = 1): void {
    this.counts[key] = (this.counts[key] ?? 0) + n;
  }

  get(key: K): number {
    return this.counts[key] ?? 0;
  }

  snapshot(): Record<string, number> {
    return this.counts;
  }
}
