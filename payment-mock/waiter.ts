/**
 * Sleeps that can all be cut short: on shutdown every pending answer is sent at once instead of
 * holding app.close() for up to the timeout delay. After close(), waits return immediately.
 */
export class Waiter {
  private readonly pending = new Set<() => void>();
  private closed = false;

  wait(ms: number): Promise<void> {
    if (ms <= 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.pending.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.pending.add(done);
    });
  }

  get size(): number {
    return this.pending.size;
  }

  close(): void {
    this.closed = true;
    for (const done of [...this.pending]) done();
  }
}
