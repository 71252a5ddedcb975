import type { Rng } from "./rng.js";

// Real search traffic is skewed: a few city pairs take most of it and a long tail of others
// shares the rest, and some users ask for pairs with no direct flight (multi-stop searches).

/** A route flown on one UTC day, with how many flights fly it. */
export interface RouteDay {
  source: string;
  destination: string;
  date: string;
  flights: number;
}

export interface SearchQuery {
  source: string;
  destination: string;
  date: string;
  seats: number;
  sort_by: "cheapest" | "fastest";
  max_stops?: number;
}

export interface RouteMixOptions {
  /** How many routes count as popular (the busiest by flights). */
  popularRoutes: number;
  /** Share of searches on the popular routes, weighted 1/rank among them. */
  popularShare: number;
  /** Share of searches between airports with no direct flight. */
  connectingShare: number;
}

export const DEFAULT_ROUTE_MIX: RouteMixOptions = { popularRoutes: 5, popularShare: 0.7, connectingShare: 0.1 };

/** Seats asked for: mostly 1 or 2, sometimes 3 or 4. */
const SEAT_WEIGHTS = [50, 30, 12, 8];

/** FNV-1a of "SRC-DST": a fixed, well-spread order among equally busy routes. */
function pairHash(r: { source: string; destination: string }): number {
  let h = 0x811c9dc5;
  for (const c of `${r.source}-${r.destination}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193);
  return h >>> 0;
}

interface Route {
  source: string;
  destination: string;
  flights: number;
  dates: string[];
}

export interface RouteMix {
  popular: Route[];
  tail: Route[];
  next(rng: Rng): SearchQuery;
}

export function buildRouteMix(routeDays: readonly RouteDay[], opts: RouteMixOptions = DEFAULT_ROUTE_MIX): RouteMix {
  const byPair = new Map<string, Route>();
  for (const d of routeDays) {
    const k = `${d.source}-${d.destination}`;
    const r = byPair.get(k) ?? { source: d.source, destination: d.destination, flights: 0, dates: [] };
    r.flights += d.flights;
    r.dates.push(d.date);
    byPair.set(k, r);
  }
  // Busiest first; among routes as busy, a hash of the pair decides, so that ties do not all
  // go to the alphabetically first airport.
  const routes = [...byPair.values()].sort(
    (a, b) => b.flights - a.flights || pairHash(a) - pairHash(b) || a.source.localeCompare(b.source),
  );
  if (routes.length === 0) throw new Error("no routes to search: the flights table has no scheduled flights");
  for (const r of routes) r.dates.sort();

  const popular = routes.slice(0, Math.max(1, opts.popularRoutes));
  const tail = routes.slice(popular.length);
  const popularWeights = popular.map((_, i) => 1 / (i + 1));
  const airports = [...new Set(routes.flatMap((r) => [r.source, r.destination]))].sort();
  const datesFrom = new Map<string, string[]>();
  for (const r of routes) datesFrom.set(r.source, [...(datesFrom.get(r.source) ?? []), ...r.dates]);

  const connecting = (rng: Rng): { source: string; destination: string; date: string } | null => {
    const sources = [...datesFrom.keys()];
    for (let attempt = 0; attempt < 10; attempt++) {
      const source = rng.pick(sources);
      const destination = rng.pick(airports);
      if (destination === source || byPair.has(`${source}-${destination}`)) continue;
      return { source, destination, date: rng.pick(datesFrom.get(source) as string[]) };
    }
    return null;
  };

  const pickRoute = (rng: Rng): { source: string; destination: string; date: string } => {
    const x = rng.next();
    if (x >= opts.popularShare && x < opts.popularShare + opts.connectingShare) {
      const pair = connecting(rng);
      if (pair) return pair;
    }
    const route =
      x < opts.popularShare || tail.length === 0 ? (popular[rng.weighted(popularWeights)] as Route) : rng.pick(tail);
    return { source: route.source, destination: route.destination, date: rng.pick(route.dates) };
  };

  return {
    popular,
    tail,
    next(rng) {
      const q: SearchQuery = {
        ...pickRoute(rng),
        seats: rng.weighted(SEAT_WEIGHTS) + 1,
        sort_by: rng.chance(0.5) ? "cheapest" : "fastest",
      };
      // Most users keep the default (up to 3 stops); some want direct or one-stop flights.
      if (rng.chance(0.2)) q.max_stops = rng.int(0, 2);
      return q;
    },
  };
}

export function searchPath(q: SearchQuery): string {
  const params = new URLSearchParams({
    source: q.source,
    destination: q.destination,
    date: q.date,
    seats: String(q.seats),
    sort_by: q.sort_by,
  });
  if (q.max_stops !== undefined) params.set("max_stops", String(q.max_stops));
  return `/api/flights/search?${params}`;
}
