import fc from "fast-check";
import t from "tap";
import { airports } from "../../../scripts/data/airports.js";
import type { Route } from "../../../scripts/data/network.js";
import { apportion, durationMinutes, utcOffsetMinutes } from "../../../scripts/data/timetable.js";

const airport = (iata: string) => airports().find((a) => a.iata === iata)!;

/** apportion reads only a route's weight and whether it is primary. */
const route = (weight: number, primary: boolean) => ({ weight, primary }) as Route;

t.test("apportion hands out exactly the day's flights, the same number each way", async (t) => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ weight: fc.double({ min: 0.01, max: 10, noNaN: true }), primary: fc.boolean() }), {
        minLength: 1,
        maxLength: 60,
      }),
      fc.integer({ min: 0, max: 5_000 }),
      (spec, flights) => {
        const routes = spec.map((s) => route(s.weight, s.primary));
        const counts = apportion(routes, flights);
        const total = counts.reduce((sum, [there, back]) => sum + there + back, 0);
        if (total !== flights) return false;
        if (!counts.every(([there, back]) => there - back === 0 || there - back === 1)) return false;
        const primaries = spec.filter((s) => s.primary).length;
        if (flights >= 2 * primaries) {
          return counts.every(([there, back], i) => !spec[i]!.primary || (there >= 1 && back >= 1));
        }
        return true;
      },
    ),
  );
  t.pass("property held");
});

t.test("apportion follows the weights", async (t) => {
  const counts = apportion([route(1, false), route(3, false), route(6, false)], 2_000);
  t.strictSame(counts, [
    [100, 100],
    [300, 300],
    [600, 600],
  ]);
  const primary = apportion([route(1, true), route(99, false)], 10);
  t.strictSame(primary, [
    [1, 1],
    [4, 4],
  ]);
});

t.test("local time from longitude, to the half hour", async (t) => {
  t.equal(utcOffsetMinutes(airport("DEL")), 300);
  t.equal(utcOffsetMinutes(airport("LHR")), 0);
  t.equal(utcOffsetMinutes(airport("JFK")), -300);
  t.equal(utcOffsetMinutes(airport("SYD")), 600);
});

t.test("duration: 800 km/h plus 30 minutes of taxiing, up to the next 5 minutes", async (t) => {
  t.equal(durationMinutes(0), 30);
  t.equal(durationMinutes(800), 90);
  t.equal(durationMinutes(1_140), 120);
  t.equal(durationMinutes(5_540), 450);
});
