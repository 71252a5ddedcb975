import { type Static, type TInteger, Type } from "@sinclair/typebox";

// The one list of the search path's counters. The JSON body of GET /api/flights/search/metrics
// (its schema and type), the zeroed counters and the Prometheus families are all derived from
// it, so a counter added here shows up everywhere. The timetable's own figures are added to the
// body below.

/** A Prometheus family of search counters; `label` when several counters are its series. */
interface Family {
  name: string;
  help: string;
  label?: string;
}

export const SEARCH_FAMILIES = {
  requests: { name: "skybook_search_requests_total", help: "Searches answered." },
  engine_runs: {
    name: "skybook_search_engine_runs_total",
    help: "Engine runs: fill (a cache miss) or rerun (seat filtering left too few cached candidates).",
    label: "kind",
  },
  cache_lookups: {
    name: "skybook_search_cache_lookups_total",
    help: "Candidate cache lookups by result: l1 (this process), l2 (Redis) or miss.",
    label: "result",
  },
  coalesced: {
    name: "skybook_search_coalesced_total",
    help: "Searches that waited for the same computation: local (this process) or remote (another instance's Redis lock).",
    label: "where",
  },
  lock_timeouts: {
    name: "skybook_search_lock_timeouts_total",
    help: "Waits for another instance's computation that timed out (this one computed).",
  },
  seat_reads: { name: "skybook_search_seat_reads_total", help: "Redis reads of seat counters." },
} as const satisfies Record<string, Family>;

type FamilyKey = keyof typeof SEARCH_FAMILIES;

interface CounterSpec {
  description: string;
  family: FamilyKey;
  /** The counter's value of its family's label. */
  series?: string;
}

export const SEARCH_COUNTERS = {
  searches: { description: "Searches answered.", family: "requests" },
  engine_runs: {
    description: "Engine runs that filled the cache (one per miss, both sorts).",
    family: "engine_runs",
    series: "fill",
  },
  engine_reruns: {
    description: "Engine runs because seats filtering left too few cached candidates.",
    family: "engine_runs",
    series: "rerun",
  },
  l1_hits: { description: "Candidate sets found in this process.", family: "cache_lookups", series: "l1" },
  l2_hits: { description: "Candidate sets found in Redis.", family: "cache_lookups", series: "l2" },
  misses: {
    description: "Candidate sets in neither cache (computed, or awaited from another instance).",
    family: "cache_lookups",
    series: "miss",
  },
  coalesced_local: {
    description: "Requests that waited for the same computation in this process.",
    family: "coalesced",
    series: "local",
  },
  coalesced_remote: {
    description: "Requests that waited for another instance holding the Redis lock.",
    family: "coalesced",
    series: "remote",
  },
  lock_timeouts: {
    description: "Waits for another instance that timed out, after which this one computed.",
    family: "lock_timeouts",
  },
  seat_reads: { description: "Redis reads of seat counters; concurrent searches share one.", family: "seat_reads" },
} as const satisfies Record<string, CounterSpec>;

export type Counter = keyof typeof SEARCH_COUNTERS;
export const COUNTERS = Object.keys(SEARCH_COUNTERS) as Counter[];

/** Each Prometheus family with its counters, by the value of its label (none: one counter). */
export function searchFamilies(): (Family & { members: { counter: Counter; series?: string }[] })[] {
  const specs: Record<Counter, CounterSpec> = SEARCH_COUNTERS;
  return Object.entries(SEARCH_FAMILIES).map(([key, family]: [string, Family]) => ({
    ...family,
    members: COUNTERS.filter((c) => specs[c].family === key).map((c) => ({ counter: c, series: specs[c].series })),
  }));
}

const counterFields = Object.fromEntries(
  COUNTERS.map((c) => [c, Type.Integer({ description: SEARCH_COUNTERS[c].description })]),
) as Record<Counter, TInteger>;

/** GET /api/flights/search/metrics: the counters, and the timetable the searches ran on. */
export const MetricsBody = Type.Object({
  ...counterFields,
  schedule_version: Type.String({ description: "Part of every search cache key; pending while a bump is due." }),
  schedule_flights: Type.Integer({ description: "Flights in the in-memory timetable." }),
  schedule_refreshes: Type.Integer({ description: "Periodic reads of the flights changed since the last one." }),
});
export type SearchMetrics = Static<typeof MetricsBody>;

export function emptyCounters(): Record<Counter, number> {
  return Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Record<Counter, number>;
}
