import type { Registry } from "prom-client";
import { counterFrom, gaugeFrom, labelledCounterFrom } from "../../lib/metrics.js";
import type { SearchService } from "./service.js";

/** The search counters behind GET /api/flights/search/metrics, in Prometheus' terms. */
export function registerSearchMetrics(registry: Registry, search: SearchService): void {
  const m = () => search.metrics();
  counterFrom(registry, "skybook_search_requests_total", "Searches answered.", () => m().searches);
  labelledCounterFrom(
    registry,
    "skybook_search_engine_runs_total",
    "Engine runs: fill (a cache miss) or rerun (seat filtering left too few cached candidates).",
    "kind",
    () => ({ fill: m().engine_runs, rerun: m().engine_reruns }),
  );
  counterFrom(registry, "skybook_search_engine_seconds_total", "Time spent in the search engine.", () =>
    search.engineTime(),
  );
  labelledCounterFrom(
    registry,
    "skybook_search_cache_lookups_total",
    "Candidate cache lookups by result: l1 (this process), l2 (Redis) or miss.",
    "result",
    () => ({ l1: m().l1_hits, l2: m().l2_hits, miss: m().misses }),
  );
  labelledCounterFrom(
    registry,
    "skybook_search_coalesced_total",
    "Searches that waited for the same computation: local (this process) or remote (another instance's Redis lock).",
    "where",
    () => ({ local: m().coalesced_local, remote: m().coalesced_remote }),
  );
  counterFrom(
    registry,
    "skybook_search_lock_timeouts_total",
    "Waits for another instance's computation that timed out (this one computed).",
    () => m().lock_timeouts,
  );
  counterFrom(registry, "skybook_search_seat_reads_total", "Redis reads of seat counters.", () => m().seat_reads);
  gaugeFrom(
    registry,
    "skybook_search_schedule_flights",
    "Flights in the in-memory timetable.",
    () => m().schedule_flights,
  );
}
