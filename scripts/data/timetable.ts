import type { Airport } from "./airports.js";
import type { Carrier } from "./carriers.js";
import type { Route } from "./network.js";
import { Rng } from "./random.js";

// A day's timetable: how many flights each route gets, and for each flight its number, its
// departure time of day, aircraft and fare level. Every day of the schedule repeats it, as
// airlines do; fares and bookings change from day to day.

export interface Slot {
  from: Airport;
  to: Airport;
  km: number;
  carrier: Carrier;
  flightNumber: string;
  /** Minutes after 00:00 UTC. */
  departureMinute: number;
  durationMinutes: number;
  seats: number;
  /** Dearer and cheaper departures of the same route. */
  fareFactor: number;
}

export const STREAM_TIMETABLE = 2;
const CRUISE_KMH = 800;
const TAXI_MINUTES = 30;
// Local departures run from 05:30 to 23:30.
const FIRST_LOCAL_MINUTE = 330;
const LOCAL_SPAN_MINUTES = 1_080;

const SEATS_BY_RANGE: readonly [number, readonly number[]][] = [
  [1_000, [120, 150, 174, 180, 186]],
  [3_000, [150, 180, 186, 194, 220]],
  [6_000, [180, 220, 240, 250, 260]],
  [9_000, [240, 254, 290, 300, 330]],
  [Number.POSITIVE_INFINITY, [300, 330, 350, 396, 400]],
];

/**
 * Splits `flightsPerDay` departures over the routes by weight (largest remainder), the same
 * number each way. When the day is big enough, every primary route gets one each way first,
 * so that no airport is left without flights.
 */
export function apportion(routes: readonly Route[], flightsPerDay: number): [number, number][] {
  const counts: [number, number][] = routes.map(() => [0, 0]);
  let left = flightsPerDay;
  const primaries = routes.filter((r) => r.primary).length;
  if (flightsPerDay >= 2 * primaries) {
    routes.forEach((r, i) => {
      if (r.primary) counts[i] = [1, 1];
    });
    left -= 2 * primaries;
  }
  const pairs = Math.floor(left / 2);
  const total = routes.reduce((sum, r) => sum + r.weight, 0);
  const quotas = routes.map((r) => (pairs * r.weight) / total);
  let given = 0;
  quotas.forEach((q, i) => {
    const whole = Math.floor(q);
    counts[i]![0] += whole;
    counts[i]![1] += whole;
    given += whole;
  });
  const order = quotas.map((_q, i) => i).sort((i, j) => (quotas[j]! % 1) - (quotas[i]! % 1) || i - j);
  for (let k = 0; k < pairs - given; k++) {
    counts[order[k]!]![0]++;
    counts[order[k]!]![1]++;
  }
  if (left % 2 === 1) counts[order[pairs - given] ?? 0]![0]++;
  return counts;
}

/** Offset of local (solar) time from UTC in minutes, to the half hour: 15° of longitude an hour. */
export function utcOffsetMinutes(a: Airport): number {
  return Math.round(a.lon / 7.5) * 30;
}

export function durationMinutes(km: number): number {
  return Math.ceil(((km / CRUISE_KMH) * 60 + TAXI_MINUTES) / 5) * 5;
}

/** The timetable of one day, sorted by departure time; flight numbers never reuse `reserved`. */
export function buildTimetable(
  routes: readonly Route[],
  flightsPerDay: number,
  seed: number,
  reserved: ReadonlySet<string>,
): Slot[] {
  const rng = new Rng(seed, STREAM_TIMETABLE);
  const counts = apportion(routes, flightsPerDay);
  const nextNumber = new Map<string, number>();
  const flightNumber = (code: string): string => {
    let n = nextNumber.get(code) ?? 1;
    while (reserved.has(`${code}${n}`)) n++;
    if (n > 99_999) throw new RangeError(`too many flights a day for carrier ${code}`);
    nextNumber.set(code, n + 1);
    return `${code}${n}`;
  };
  const slots: Slot[] = [];
  routes.forEach((route, i) => {
    const seatsChoice = SEATS_BY_RANGE.find(([max]) => route.km < max)![1];
    for (const [dir, n] of counts[i]!.entries()) {
      const [from, to] = dir === 0 ? [route.a, route.b] : [route.b, route.a];
      const spread = Math.min(90, LOCAL_SPAN_MINUTES / 2 / Math.max(n, 1));
      for (let k = 0; k < n; k++) {
        const local = FIRST_LOCAL_MINUTE + (LOCAL_SPAN_MINUTES * (k + 0.5)) / n + rng.range(-spread, spread);
        const utc = Math.round((local - utcOffsetMinutes(from)) / 5) * 5;
        slots.push({
          from,
          to,
          km: route.km,
          carrier: route.carrier,
          flightNumber: flightNumber(route.carrier.code),
          departureMinute: ((utc % 1_440) + 1_440) % 1_440,
          durationMinutes: durationMinutes(route.km),
          seats: rng.pick(seatsChoice),
          fareFactor: rng.range(0.85, 1.25),
        });
      }
    }
  });
  // A stable sort: equal times keep their creation order, so the result is the same every run.
  return slots.sort((x, y) => x.departureMinute - y.departureMinute);
}
