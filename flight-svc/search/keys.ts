// Every Redis key of the search cache is built here.

export const keys = {
  /** Bumped on every schedule change; part of every search cache key. */
  scheduleVersion: () => "search:schedule-version",
  searchResult: (version: number | string, source: string, destination: string, date: string, maxStops: number) =>
    `search:v${version}:${source}:${destination}:${date}:${maxStops}`,
  /** Held by the one request that computes a missing result (stampede protection). */
  searchLock: (resultKey: string) => `lock:${resultKey}`,
};
