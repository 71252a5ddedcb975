import type { FastifyBaseLogger } from "fastify";
import { type Dependency, DependencyDown, unavailableDependency } from "./dependency-down.js";

const PROBE_MS = 250;

/**
 * Health-driven fail-fast for one dependency. The first error saying it is unreachable closes
 * the gate: calls then fail at once with DependencyDown (503) instead of queueing behind the
 * client's reconnect attempts and being answered, late, with an error from the outage. A probe
 * runs every 250 ms and opens the gate as soon as the dependency answers; the probe's own
 * connection is the first one back, so recovery costs one probe interval, not a back-off.
 */
export class DependencyGate {
  private downSince: number | null = null;
  private closed = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly dependency: Dependency,
    private readonly probe: () => Promise<unknown>,
    private readonly log: FastifyBaseLogger,
    private readonly probeMs = PROBE_MS,
  ) {}

  get open(): boolean {
    return this.downSince === null;
  }

  /** Throws DependencyDown while the gate is closed. */
  check(): void {
    if (this.downSince !== null) throw new DependencyDown(this.dependency);
  }

  /** Every error of a call to the dependency passes here; one that says it is down closes the gate. */
  observe(err: unknown): void {
    if (this.closed || this.downSince !== null || unavailableDependency(err) !== this.dependency) return;
    this.downSince = Date.now();
    this.log.warn({ dependency: this.dependency, reason: (err as Error).message }, "dependency down: failing fast");
    this.scheduleProbe();
  }

  /** Stops probing (the client is about to close). */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private scheduleProbe(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      this.probe().then(
        () => {
          if (this.downSince === null) return;
          this.log.warn({ dependency: this.dependency, down_ms: Date.now() - this.downSince }, "dependency back");
          this.downSince = null;
        },
        () => this.scheduleProbe(),
      );
    }, this.probeMs);
    this.timer.unref();
  }
}
