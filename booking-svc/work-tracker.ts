import { within } from "../lib/within.js";

/**
 * The requests still at work, so that shutdown can let them finish before the Redis and
 * PostgreSQL pools close: a booking whose client went away still completes its saga.
 */
export class WorkTracker {
  private readonly running = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const done = () => this.running.delete(work);
    work.then(done, done);
    return work;
  }

  /** Waits (at most `ms`) for the work running now; what is cut short the sweeper finishes. */
  async drain(ms: number): Promise<void> {
    if (this.running.size === 0) return;
    await within(Promise.allSettled([...this.running]), ms, undefined);
  }
}
