import { build, type Histogram } from "hdr-histogram-js";
import type { LatencySummary } from "../report/types.js";

// Latencies go into HDR histograms (3 significant digits, microseconds), as wrk and autocannon
// keep them: memory stays near 100 kB per histogram (measured) however long a run lasts, instead of
// one number per response.

const US_PER_MS = 1_000;

export class LatencyRecorder {
  private readonly h: Histogram = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60 * 60 * US_PER_MS * 1_000,
    numberOfSignificantValueDigits: 3,
    bitBucketSize: "packed",
    autoResize: true,
  });

  record(ms: number): void {
    this.h.recordValue(Math.max(1, Math.round(ms * US_PER_MS)));
  }

  get count(): number {
    return this.h.totalCount;
  }

  reset(): void {
    this.h.reset();
  }

  /**
   * Percentiles, max and mean in ms (0 when nothing was recorded), to 0.01 ms. A percentile is
   * the top of its histogram bucket, up to 0.1% above the latencies in it: never above the max.
   */
  summary(): LatencySummary {
    const at = (p: number) =>
      this.count ? round2(Math.min(this.h.getValueAtPercentile(p), this.h.maxValue) / US_PER_MS) : 0;
    return {
      p50: at(50),
      p90: at(90),
      p95: at(95),
      p99: at(99),
      max: this.count ? round2(this.h.maxValue / US_PER_MS) : 0,
      mean: this.count ? round2(this.h.mean / US_PER_MS) : 0,
    };
  }
}

export const round2 = (n: number): number => Math.round(n * 100) / 100;
