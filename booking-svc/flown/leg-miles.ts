import { type Airport, airports } from "../../scripts/data/airports.js";

// Statute miles from the checked-in airports (scripts/data/airports.json), as the original's
// loyalty service counted them.
const EARTH_RADIUS_MILES = 3958.8;
const RAD = Math.PI / 180;

let byCode: Map<string, Airport> | undefined;

/** Great-circle (haversine) distance between two airports in statute miles, unrounded; null if either is unknown. */
export function distanceMiles(from: string, to: string): number | null {
  byCode ??= new Map(airports().map((a) => [a.iata, a]));
  const a = byCode.get(from);
  const b = byCode.get(to);
  if (!a || !b) return null;
  const dLat = (b.lat - a.lat) * RAD;
  const dLon = (b.lon - a.lon) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_MILES * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A flown leg's miles: its distance × seats, rounded once (not per seat). */
export function legMiles(distance: number, seats: number): number {
  return Math.round(distance * seats);
}
