/**
 * Concurrent calls with the same key share one execution: the first caller runs `fn`, the
 * others get its promise (and `joined` tells the caller which it was). The key is forgotten
 * as soon as the run settles, so a failure is not remembered.
 */
export class SingleFlight<T> {
  private readonly running = new Map<string, Promise<T>>();

  run(key: string, fn: () => Promise<T>): { promise: Promise<T>; joined: boolean } {
    const existing = this.running.get(key);
    if (existing) return { promise: existing, joined: true };
    const promise = fn().finally(() => this.running.delete(key));
    this.running.set(key, promise);
    return { promise, joined: false };
  }

  get size(): number {
    return this.running.size;
  }
}
