import type { FlightRecord } from "./flight-record.js";

export type SortBy = "cheapest" | "fastest";
export const SORTS: readonly SortBy[] = ["cheapest", "fastest"];

/** A chain of legs with its totals in integer units (cents, minutes since the epoch). */
export interface Itinerary {
  legs: FlightRecord[];
  price: number;
  duration: number;
  departure: number;
}

export function itineraryOf(legs: FlightRecord[]): Itinerary {
  let price = 0;
  for (const f of legs) price += f.priceCents;
  const first = legs[0] as FlightRecord;
  const last = legs[legs.length - 1] as FlightRecord;
  return { legs, price, duration: last.arr - first.dep, departure: first.dep };
}

function compareLegs(a: FlightRecord[], b: FlightRecord[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as FlightRecord).id - (b[i] as FlightRecord).id;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

// Ties end on departure time, then the flight ids, so the order is total and every
// computation of the same set (engine, cache, oracle) lists it the same way.
export function compareCheapest(a: Itinerary, b: Itinerary): number {
  return a.price - b.price || a.duration - b.duration || a.departure - b.departure || compareLegs(a.legs, b.legs);
}

export function compareFastest(a: Itinerary, b: Itinerary): number {
  return a.duration - b.duration || a.price - b.price || a.departure - b.departure || compareLegs(a.legs, b.legs);
}

export const COMPARATORS: Record<SortBy, (a: Itinerary, b: Itinerary) => number> = {
  cheapest: compareCheapest,
  fastest: compareFastest,
};
