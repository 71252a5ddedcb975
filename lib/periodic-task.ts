/**
 * A round of work run at start and then `intervalMs` after each round ends (never two at once in
 * one instance): the recovery sweeper's and the flown job's loop. A call while a round runs joins it.
 */
export class PeriodicTask<T> {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<T> | null = null;
  private halted = false;

  constructor(
    private readonly round: () => Promise<T>,
    private readonly intervalMs: number,
  ) {}

  /** Set by stop(): a round in a loop of its own ends early. */
  get stopped(): boolean {
    return this.halted;
  }

  start(): void {
    this.halted = false;
    const tick = () => {
      void this.runOnce().finally(() => {
        if (!this.halted) this.timer = setTimeout(tick, this.intervalMs).unref();
      });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.halted = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  runOnce(): Promise<T> {
    this.running ??= this.round().finally(() => {
      this.running = null;
    });
    return this.running;
  }
}
