import { DAY_MINUTES } from "../../flight-svc/search/flight-record.js";
import { ScheduleIndex } from "../../flight-svc/search/schedule-index.js";

// A brute-force reference for the search engine: enumerate every chain of flights, keep those
// the rules allow, sort them, filter seats. Written independently of the engine on purpose.

export interface NetFlight {
  id: number;
  source: string;
  destination: string;
  dep: number;
  arr: number;
  price: number;
  cancelled: boolean;
}

export interface OracleQuery {
  source: string;
  destination: string;
  dayStart: number;
  maxStops: number;
  minConnection: number;
  maxLayover: number;
}

export interface OraclePath {
  ids: number[];
  price: number;
  duration: number;
  departure: number;
}

export function allPaths(flights: NetFlight[], q: OracleQuery): OraclePath[] {
  const out: OraclePath[] = [];
  const live = flights.filter((f) => !f.cancelled);
  const walk = (chain: NetFlight[]) => {
    const last = chain[chain.length - 1] as NetFlight;
    if (last.destination === q.destination) {
      const first = chain[0] as NetFlight;
      out.push({
        ids: chain.map((f) => f.id),
        price: chain.reduce((s, f) => s + f.price, 0),
        duration: last.arr - first.dep,
        departure: first.dep,
      });
      return;
    }
    if (chain.length > q.maxStops) return;
    const seen = new Set([chain[0]?.source, ...chain.map((f) => f.destination)]);
    for (const f of live) {
      const wait = f.dep - last.arr;
      if (
        f.source === last.destination &&
        wait >= q.minConnection &&
        wait <= q.maxLayover &&
        !seen.has(f.destination)
      ) {
        walk([...chain, f]);
      }
    }
  };
  for (const f of live) {
    if (f.source === q.source && f.dep >= q.dayStart && f.dep < q.dayStart + DAY_MINUTES) walk([f]);
  }
  return out;
}

function key(p: OraclePath, sort: "cheapest" | "fastest"): number[] {
  return sort === "cheapest"
    ? [p.price, p.duration, p.departure, ...p.ids]
    : [p.duration, p.price, p.departure, ...p.ids];
}

export function sortPaths(paths: OraclePath[], sort: "cheapest" | "fastest"): OraclePath[] {
  return [...paths].sort((a, b) => {
    const ka = key(a, sort);
    const kb = key(b, sort);
    for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
      if (ka[i] !== kb[i]) return (ka[i] as number) - (kb[i] as number);
    }
    return ka.length - kb.length;
  });
}

export function oracleAnswer(
  flights: NetFlight[],
  q: OracleQuery,
  sort: "cheapest" | "fastest",
  seats: number,
  limit: number,
  available: Map<number, number>,
): OraclePath[] {
  return sortPaths(allPaths(flights, q), sort)
    .filter((p) => p.ids.every((id) => (available.get(id) ?? 0) >= seats))
    .slice(0, limit);
}

export function indexOf(flights: NetFlight[]): ScheduleIndex {
  const index = new ScheduleIndex();
  for (const f of flights) {
    index.upsert({
      id: f.id,
      flightNumber: `XX${f.id}`,
      airline: "XX",
      source: f.source,
      destination: f.destination,
      dep: f.dep,
      arr: f.arr,
      priceCents: f.price,
      totalSeats: 100,
      bookedSeats: 0,
      status: f.cancelled ? "cancelled" : "scheduled",
    });
  }
  return index;
}
