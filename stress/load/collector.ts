import type { PhaseResult, TargetResult, TimelinePoint } from "../report/types.js";
import { LatencyRecorder, round2 } from "./latency.js";

interface Second {
  requests: number;
  non2xx: number;
  p50: number | null;
  p99: number | null;
}

/**
 * Every response to one target (search, booking, …) of a phase: its latency in a histogram, its
 * status, and the second it arrived in. Each second's percentiles are taken when the next second
 * begins, so only one second's histogram is kept beside the whole phase's.
 */
class TargetCollector {
  readonly latency = new LatencyRecorder();
  readonly statuses = new Map<number, number>();
  readonly seconds: Second[] = [];
  private readonly current = new LatencyRecorder();
  errors = 0;
  timeouts = 0;
  requests = 0;

  constructor(
    readonly name: string,
    readonly connections: number,
  ) {}

  response(status: number, latencyMs: number, second: number): void {
    this.requests++;
    this.latency.record(latencyMs);
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    this.closeSecondsBefore(second);
    const s = this.seconds[second] as Second;
    s.requests++;
    if (status < 200 || status > 299) s.non2xx++;
    this.current.record(latencyMs);
  }

  /** Ends every second before `second`: the open one gets its percentiles, the rest are empty. */
  closeSecondsBefore(second: number): void {
    const open = this.seconds.length - 1;
    if (open >= second) return;
    if (open >= 0 && this.current.count > 0) {
      const l = this.current.summary();
      Object.assign(this.seconds[open] as Second, { p50: l.p50, p99: l.p99 });
      this.current.reset();
    }
    while (this.seconds.length <= second) this.seconds.push({ requests: 0, non2xx: 0, p50: null, p99: null });
  }

  finish(durationSeconds: number): TargetResult {
    this.closeSecondsBefore(this.seconds.length);
    this.seconds.pop();
    const timeline: TimelinePoint[] = [];
    for (const [i, s] of this.seconds.entries()) {
      // The last second is usually cut short: its counts are scaled to a rate, or it is left
      // out when too short to say anything (its responses still count in the totals).
      const covered = Math.min(1, durationSeconds - i);
      if (covered < 0.25) continue;
      timeline.push({
        second: i + 1,
        requests: Math.round(s.requests / covered),
        non2xx: Math.round(s.non2xx / covered),
        p50: s.p50,
        p99: s.p99,
      });
    }
    return {
      name: this.name,
      connections: this.connections,
      requests: this.requests,
      requestsPerSecond: Math.round(this.requests / durationSeconds),
      latencyMs: this.latency.summary(),
      statusCodes: codes(this.statuses),
      errors: this.errors,
      timeouts: this.timeouts,
      timeline,
    };
  }
}

function codes(statuses: Map<number, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [status, c] of [...statuses].sort((a, b) => a[0] - b[0])) out[String(status)] = c;
  return out;
}

/**
 * Every response of a phase, kept apart per target: a millisecond search and a booking that
 * waits on a payment are reported each with its own percentiles, never blended into one.
 */
export class LoadCollector {
  private readonly targets = new Map<string, TargetCollector>();
  private readonly startedAt: number;

  constructor(now: number = performance.now()) {
    this.startedAt = now;
  }

  /** Declares a target (its connections) before its first response; unknown targets get 0. */
  target(name: string, connections: number): void {
    if (!this.targets.has(name)) this.targets.set(name, new TargetCollector(name, connections));
  }

  private of(name: string): TargetCollector {
    this.target(name, 0);
    return this.targets.get(name) as TargetCollector;
  }

  response(status: number, latencyMs: number, now: number = performance.now(), target = "all"): void {
    this.of(target).response(status, latencyMs, this.secondOf(now));
  }

  error(timeout: boolean, target = "all"): void {
    const t = this.of(target);
    if (timeout) t.timeouts++;
    else t.errors++;
  }

  get requests(): number {
    let n = 0;
    for (const t of this.targets.values()) n += t.requests;
    return n;
  }

  get errors(): number {
    let n = 0;
    for (const t of this.targets.values()) n += t.errors;
    return n;
  }

  get timeouts(): number {
    let n = 0;
    for (const t of this.targets.values()) n += t.timeouts;
    return n;
  }

  elapsedSeconds(now: number = performance.now()): number {
    return (now - this.startedAt) / 1000;
  }

  count(predicate: (status: number) => boolean): number {
    let n = 0;
    for (const t of this.targets.values()) for (const [status, c] of t.statuses) if (predicate(status)) n += c;
    return n;
  }

  /** Responses in the last complete second, for the progress line. */
  lastSecondRequests(now: number = performance.now()): number {
    const i = this.secondOf(now) - 1;
    let n = 0;
    if (i >= 0) for (const t of this.targets.values()) n += t.seconds[i]?.requests ?? 0;
    return n;
  }

  finish(name: string, now: number = performance.now()): PhaseResult {
    const durationSeconds = Math.max(0.001, (now - this.startedAt) / 1000);
    const targets = [...this.targets.values()].map((t) => t.finish(durationSeconds));
    const statusCodes: Record<string, number> = {};
    for (const t of targets) {
      for (const [code, n] of Object.entries(t.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
    }
    return {
      name,
      connections: targets.reduce((a, t) => a + t.connections, 0),
      durationSeconds: round2(durationSeconds),
      requests: this.requests,
      requestsPerSecond: Math.round(this.requests / durationSeconds),
      statusCodes: Object.fromEntries(Object.entries(statusCodes).sort((a, b) => Number(a[0]) - Number(b[0]))),
      errors: this.errors,
      timeouts: this.timeouts,
      targets,
    };
  }

  private secondOf(now: number): number {
    return Math.max(0, Math.floor((now - this.startedAt) / 1000));
  }
}
