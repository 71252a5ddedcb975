// Pure arithmetic of the benches: medians and spreads of rounds, ratios, and the verdict on a
// target. Kept apart from the code that starts processes so that it can be unit-tested.

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** The q-quantile (0…1), interpolated between the two nearest rounds. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return (s[lo] as number) + ((s[hi] as number) - (s[lo] as number)) * (at - lo);
}

/** The middle half of the rounds: a 5% effect is resolved when it is narrower than 0.05 on each side. */
export function interquartile(xs: readonly number[]): [number, number] {
  return [quantile(xs, 0.25), quantile(xs, 0.75)];
}

/** A small seeded generator (mulberry32): the same rounds always give the same interval. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * A percentile bootstrap interval of the median: the rounds resampled with replacement
 * `resamples` times, and the middle `level` of the medians found. Wide rounds give a wide
 * interval, so a bound inside it is not settled either way.
 */
export function medianInterval(xs: readonly number[], level = 0.9, resamples = 2_000): [number, number] {
  if (xs.length === 0) return [Number.NaN, Number.NaN];
  const random = seeded(xs.length);
  const medians = Array.from({ length: resamples }, () =>
    median(Array.from(xs, () => xs[Math.floor(random() * xs.length)] as number)),
  );
  return [quantile(medians, (1 - level) / 2), quantile(medians, (1 + level) / 2)];
}

export type Outcome = "met" | "not met" | "unsettled" | "unmeasured";

/** What an interval says of a bound: met or not met when the whole interval is on one side of it. */
export function settled(interval: readonly [number, number], bound: number, kind: "min" | "max"): Outcome {
  const [lo, hi] = interval;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return "unmeasured";
  const above = lo >= bound;
  const below = hi < bound;
  if (!above && !below) return "unsettled";
  return (kind === "min") === above ? "met" : "not met";
}

/** Rounds that measured nothing (NaN: no request answered) are left out. */
export function spread(xs: readonly number[]): Spread {
  const measured = xs.filter(Number.isFinite);
  return { median: median(measured), min: Math.min(...measured), max: Math.max(...measured) };
}

/** Ratios of paired rounds (a[i] ÷ b[i]): each pair was measured back to back, so drift cancels. */
export function pairedRatios(a: readonly number[], b: readonly number[]): number[] {
  return a.map((x, i) => x / (b[i] as number)).filter((r) => Number.isFinite(r));
}

const group = (n: number) => Math.round(n).toLocaleString("en-US");

/** "21,963 (20,100–23,004)": the median and the range of the rounds. */
export function formatSpread(s: Spread, digits = 0): string {
  const f = digits === 0 ? group : (n: number) => n.toFixed(digits);
  return s.min === s.max ? f(s.median) : `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
}

export interface Target {
  name: string;
  /** What the ratio compares, e.g. "bookings/s ÷ stand-in chain's". */
  measure: string;
  /** The ratio's rounds; the median decides. */
  ratios: readonly number[];
  /** The ratio must be at least this (or at most, for "max"). */
  bound: number;
  kind: "min" | "max";
  /** When given, the verdict is this interval's (see `settled`), not the median's. */
  interval?: readonly [number, number];
}

export interface Verdict {
  name: string;
  measure: string;
  ratio: Spread;
  bound: string;
  /** null: no round measured it; "unsettled": its interval holds the bound. */
  met: boolean | null | "unsettled";
}

export function verdict(t: Target): Verdict {
  const s = spread(t.ratios);
  const bound = `${t.kind === "min" ? "≥" : "≤"} ${t.bound}`;
  if (t.interval) {
    const outcome = settled(t.interval, t.bound, t.kind);
    const met = outcome === "unmeasured" ? null : outcome === "unsettled" ? outcome : outcome === "met";
    return { name: t.name, measure: t.measure, ratio: s, bound, met };
  }
  const met = Number.isFinite(s.median) ? (t.kind === "min" ? s.median >= t.bound : s.median <= t.bound) : null;
  return { name: t.name, measure: t.measure, ratio: s, bound, met };
}

const metWord = (met: Verdict["met"]) =>
  met === null ? "unmeasured" : met === "unsettled" ? "unsettled" : met ? "met" : "not met";

/** One Markdown table row per target, as docs/benchmarks.md keeps them. */
export function verdictRows(vs: readonly Verdict[]): string[] {
  return [
    "| target | ratio | median (rounds) | bound | met |",
    "| --- | --- | --- | --- | --- |",
    ...vs.map(
      (v) =>
        `| ${v.name} | ${v.measure} | ${Number.isFinite(v.ratio.median) ? formatSpread(v.ratio, 2) : "unmeasured"} | ${v.bound} | ${metWord(v.met)} |`,
    ),
  ];
}
