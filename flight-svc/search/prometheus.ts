import type { Registry } from "prom-client";
import { counterFrom, gaugeFrom, labelledCounterFrom } from "../../lib/metrics.js";
import { type SearchMetrics, searchFamilies } from "./metrics.js";

export interface SearchMetricSources {
  metrics: () => SearchMetrics;
  /** Seconds the engine has run in this process. */
  engineSeconds: () => number;
}

/** The search counters behind GET /api/flights/search/metrics, in Prometheus' terms. */
export function registerSearchMetrics(registry: Registry, src: SearchMetricSources): void {
  for (const { name, help, label, members } of searchFamilies()) {
    if (label === undefined) {
      for (const { counter } of members) counterFrom(registry, name, help, () => src.metrics()[counter]);
      continue;
    }
    labelledCounterFrom(registry, name, help, label, () => {
      const m = src.metrics();
      return Object.fromEntries(members.map(({ counter, series }) => [series ?? counter, m[counter]]));
    });
  }
  counterFrom(registry, "skybook_search_engine_seconds_total", "Time spent in the search engine.", src.engineSeconds);
  // Every worker keeps its own copy of the one timetable.
  gaugeFrom(
    registry,
    "skybook_search_schedule_flights",
    "Flights in the in-memory timetable.",
    "max",
    () => src.metrics().schedule_flights,
  );
}
