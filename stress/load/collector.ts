import type { LatencySummary, PhaseResult, TimelinePoint } from "../report/types.js";

/** Nearest-rank percentile of an ascending array; 0 for an empty one. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

export function summarize(latencies: readonly number[]): LatencySummary {
  const sorted = Float64Array.from(latencies).sort();
  const arr = Array.from(sorted);
  const sum = arr.reduce((a, b) => a + b, 0);
  return {
    p50: round2(percentile(arr, 50)),
    p90: round2(percentile(arr, 90)),
    p99: round2(percentile(arr, 99)),
    max: round2(arr.length ? (arr[arr.length - 1] as number) : 0),
    mean: round2(arr.length ? sum / arr.length : 0),
  };
}

interface Second {
  requests: number;
  non2xx: number;
  latencies: number[];
}

/**
 * Every response of a phase: its latency, its status and the second it arrived in. Several
 * autocannon instances (one per target service) can feed one collector.
 */
export class LoadCollector {
  private readonly latencies: number[] = [];
  private readonly statuses = new Map<number, number>();
  private readonly seconds: Second[] = [];
  private readonly startedAt: number;
  errors = 0;
  timeouts = 0;

  constructor(now: number = performance.now()) {
    this.startedAt = now;
  }

  response(status: number, latencyMs: number, now: number = performance.now()): void {
    this.latencies.push(latencyMs);
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    const s = this.second(now);
    s.requests++;
    if (status < 200 || status > 299) s.non2xx++;
    s.latencies.push(latencyMs);
  }

  error(timeout: boolean): void {
    if (timeout) this.timeouts++;
    else this.errors++;
  }

  get requests(): number {
    return this.latencies.length;
  }

  elapsedSeconds(now: number = performance.now()): number {
    return (now - this.startedAt) / 1000;
  }

  count(predicate: (status: number) => boolean): number {
    let n = 0;
    for (const [status, c] of this.statuses) if (predicate(status)) n += c;
    return n;
  }

  /** Responses in the last complete second, for the progress line. */
  lastSecondRequests(now: number = performance.now()): number {
    const i = Math.floor((now - this.startedAt) / 1000) - 1;
    return i >= 0 ? (this.seconds[i]?.requests ?? 0) : 0;
  }

  finish(name: string, connections: number, now: number = performance.now()): PhaseResult {
    const durationSeconds = Math.max(0.001, (now - this.startedAt) / 1000);
    const timeline: TimelinePoint[] = [];
    for (let i = 0; i < this.seconds.length; i++) {
      const s = this.seconds[i] ?? { requests: 0, non2xx: 0, latencies: [] };
      // The last second is usually cut short: its counts are scaled to a rate, or it is left
      // out when too short to say anything (its responses still count in the totals).
      const covered = Math.min(1, durationSeconds - i);
      if (covered < 0.25) continue;
      const l = summarize(s.latencies);
      timeline.push({
        second: i + 1,
        requests: Math.round(s.requests / covered),
        non2xx: Math.round(s.non2xx / covered),
        p50: l.p50,
        p99: l.p99,
      });
    }
    const statusCodes: Record<string, number> = {};
    for (const [status, c] of [...this.statuses].sort((a, b) => a[0] - b[0])) statusCodes[String(status)] = c;
    return {
      name,
      connections,
      durationSeconds: round2(durationSeconds),
      requests: this.requests,
      requestsPerSecond: Math.round(this.requests / durationSeconds),
      latencyMs: summarize(this.latencies),
      statusCodes,
      errors: this.errors,
      timeouts: this.timeouts,
      timeline,
    };
  }

  private second(now: number): Second {
    const i = Math.max(0, Math.floor((now - this.startedAt) / 1000));
    while (this.seconds.length <= i) this.seconds.push({ requests: 0, non2xx: 0, latencies: [] });
    return this.seconds[i] as Second;
  }
}
