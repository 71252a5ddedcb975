import { deepStrictEqual, ok } from "node:assert/strict";
import fc from "fast-check";
import t from "tap";
import { SearchEngine } from "../../../flight-svc/search/engine.js";
import { dayStartMinutes } from "../../../flight-svc/search/flight-record.js";
import type { Itinerary, SortBy } from "../../../flight-svc/search/itinerary.js";
import { selectItineraries } from "../../../flight-svc/search/select.js";
import {
  allPaths,
  indexOf,
  type NetFlight,
  type OraclePath,
  type OracleQuery,
  oracleAnswer,
  sortPaths,
} from "../../helpers/search-oracle.js";

const BASE = dayStartMinutes("2024-02-15") as number;
const RUNS = 3000;
const CODES = ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF"];

// Times sit on a 15-minute grid with an occasional ±1 minute, so connections land exactly on
// the minimum and maximum (and one minute either side) often; two days give midnight
// crossings; few airports give cycles; few prices give ties.
const flightArb = (airports: number) =>
  fc
    .record({
      s: fc.integer({ min: 0, max: airports - 1 }),
      hop: fc.integer({ min: 1, max: airports - 1 }),
      slot: fc.integer({ min: 0, max: 2 * 96 - 1 }),
      jitter: fc.constantFrom(-1, 0, 0, 0, 1),
      length: fc.integer({ min: 1, max: 24 }),
      price: fc.constantFrom(5000, 7500, 7500, 10000, 12550),
      cancelled: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    })
    .map((f) => ({
      source: CODES[f.s] as string,
      destination: CODES[(f.s + f.hop) % airports] as string,
      dep: BASE + f.slot * 15 + f.jitter,
      arr: BASE + f.slot * 15 + f.length * 15,
      price: f.price,
      cancelled: f.cancelled,
    }));

const caseArb = (maxFlights: number) =>
  fc
    .integer({ min: 2, max: 6 })
    .chain((airports) =>
      fc.record({
        airports: fc.constant(airports),
        flights: fc.array(flightArb(airports), { maxLength: maxFlights, size: "max" }),
        s: fc.integer({ min: 0, max: airports - 1 }),
        hop: fc.integer({ min: 1, max: airports - 1 }),
        day: fc.integer({ min: 0, max: 1 }),
        maxStops: fc.integer({ min: 0, max: 3 }),
        rules: fc.constantFrom({ minConnection: 45, maxLayover: 360 }, { minConnection: 30, maxLayover: 120 }),
        candidates: fc.integer({ min: 1, max: 12 }),
        sort: fc.constantFrom<SortBy>("cheapest", "fastest"),
        seats: fc.integer({ min: 1, max: 3 }),
        limit: fc.integer({ min: 1, max: 10 }),
        seatsFree: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: maxFlights, maxLength: maxFlights }),
      }),
    )
    .map((c) => {
      const flights: NetFlight[] = c.flights.map((f, i) => ({ ...f, id: i + 1 }));
      const query: OracleQuery = {
        source: CODES[c.s] as string,
        destination: CODES[(c.s + c.hop) % c.airports] as string,
        dayStart: BASE + c.day * 1440,
        maxStops: c.maxStops,
        ...c.rules,
      };
      const available = new Map(flights.map((f, i) => [f.id, c.seatsFree[i] ?? 0]));
      return { ...c, flights, query, available };
    });

const shape = (it: Itinerary): OraclePath => ({
  ids: it.legs.map((f) => f.id),
  price: it.price,
  duration: it.duration,
  departure: it.departure,
});

function engineFor(flights: NetFlight[], q: OracleQuery) {
  return new SearchEngine(indexOf(flights), {
    minConnectionMinutes: q.minConnection,
    maxLayoverMinutes: q.maxLayover,
  });
}

t.test("the engine's best N equal the brute force's, both sorts, with a correct complete flag", async (t) => {
  fc.assert(
    fc.property(caseArb(40), (c) => {
      const engine = engineFor(c.flights, c.query);
      const result = engine.search({ ...c.query, candidates: c.candidates, sorts: ["cheapest", "fastest"] });
      const all = allPaths(c.flights, c.query);
      for (const sort of ["cheapest", "fastest"] as const) {
        deepStrictEqual(result.lists[sort]?.map(shape), sortPaths(all, sort).slice(0, c.candidates), sort);
      }
      if (result.complete) ok(all.length <= c.candidates, "complete only when nothing was left out");
      else ok(all.length > c.candidates || result.pruned > 0, "incomplete only when something was");
    }),
    { numRuns: RUNS },
  );
  t.pass(`${RUNS} random networks`);
});

t.test("dense networks: one sort at a time, where the bounds cut the most", async (t) => {
  fc.assert(
    fc.property(caseArb(120), (c) => {
      const engine = engineFor(c.flights, c.query);
      const result = engine.search({ ...c.query, candidates: Math.min(c.candidates, 4), sorts: [c.sort] });
      const expected = sortPaths(allPaths(c.flights, c.query), c.sort).slice(0, Math.min(c.candidates, 4));
      deepStrictEqual(result.lists[c.sort]?.map(shape), expected);
    }),
    { numRuns: RUNS / 3 },
  );
  t.pass(`${RUNS / 3} dense networks`);
});

t.test("cached candidates filtered by seats, with recomputation, give the oracle's answer", async (t) => {
  await fc.assert(
    fc.asyncProperty(caseArb(40), async (c) => {
      const engine = engineFor(c.flights, c.query);
      const both = engine.search({ ...c.query, candidates: c.candidates, sorts: ["cheapest", "fastest"] });
      const selection = await selectItineraries({
        set: {
          complete: both.complete,
          lists: { cheapest: both.lists.cheapest ?? [], fastest: both.lists.fastest ?? [] },
        },
        sort: c.sort,
        seats: c.seats,
        limit: c.limit,
        read: async (ids) => ids.map((id) => c.available.get(id) ?? null),
        recompute: (sort, excluded, candidates) => engine.search({ ...c.query, candidates, sorts: [sort], excluded }),
      });
      const expected = oracleAnswer(c.flights, c.query, c.sort, c.seats, c.limit, c.available);
      deepStrictEqual(selection.itineraries.map(shape), expected);
      for (const it of selection.itineraries) {
        for (const f of it.legs) ok((selection.available.get(f.id) ?? -1) >= c.seats);
      }
    }),
    { numRuns: RUNS },
  );
  t.pass(`${RUNS} random networks and seat counts`);
});

t.test("boundaries: connection at the minimum and one under, layover at the maximum and one over", async (t) => {
  const at = (h: number, m = 0) => BASE + h * 60 + m;
  const flights: NetFlight[] = [
    { id: 1, source: "AAA", destination: "BBB", dep: at(8), arr: at(10), price: 100, cancelled: false },
    { id: 2, source: "BBB", destination: "CCC", dep: at(10, 45), arr: at(12), price: 100, cancelled: false },
    { id: 3, source: "BBB", destination: "CCC", dep: at(10, 44), arr: at(12), price: 100, cancelled: false },
    { id: 4, source: "BBB", destination: "CCC", dep: at(16), arr: at(18), price: 100, cancelled: false },
    { id: 5, source: "BBB", destination: "CCC", dep: at(16, 1), arr: at(18), price: 100, cancelled: false },
    // Arrives after midnight; the connection departs the next day.
    { id: 6, source: "AAA", destination: "BBB", dep: at(22), arr: at(24, 30), price: 100, cancelled: false },
    { id: 7, source: "BBB", destination: "CCC", dep: at(26), arr: at(27), price: 100, cancelled: false },
    // Departs just after the searched day: never a first leg.
    { id: 8, source: "AAA", destination: "CCC", dep: at(24), arr: at(25), price: 1, cancelled: false },
    // Cancelled: never in results.
    { id: 9, source: "AAA", destination: "CCC", dep: at(9), arr: at(11), price: 1, cancelled: true },
  ];
  const q: OracleQuery = {
    source: "AAA",
    destination: "CCC",
    dayStart: BASE,
    maxStops: 3,
    minConnection: 45,
    maxLayover: 360,
  };
  const result = engineFor(flights, q).search({ ...q, candidates: 20, sorts: ["cheapest"] });
  t.same(
    result.lists.cheapest?.map((it) => it.legs.map((f) => f.id)),
    [
      [1, 2],
      [6, 7],
      [1, 4],
    ],
    "45 min and 6 h connect; 44 min and 6 h 1 min do not",
  );
  t.same(
    sortPaths(allPaths(flights, q), "cheapest").map((p) => p.ids),
    [
      [1, 2],
      [6, 7],
      [1, 4],
    ],
  );
  t.ok(result.complete);
});

t.test("equal price and duration: the earlier departure wins even when it has more legs", async (t) => {
  const at = (h: number, m = 0) => BASE + h * 60 + m;
  const flights: NetFlight[] = [
    { id: 1, source: "AAA", destination: "CCC", dep: at(10), arr: at(12), price: 10000, cancelled: false },
    { id: 2, source: "AAA", destination: "BBB", dep: at(8), arr: at(8, 30), price: 5000, cancelled: false },
    // Connects in exactly the minimum, on the route's shortest flight: the bounds are tight.
    { id: 3, source: "BBB", destination: "CCC", dep: at(9, 15), arr: at(10), price: 5000, cancelled: false },
  ];
  const q: OracleQuery = {
    source: "AAA",
    destination: "CCC",
    dayStart: BASE,
    maxStops: 1,
    minConnection: 45,
    maxLayover: 360,
  };
  const engine = engineFor(flights, q);
  for (const sort of ["cheapest", "fastest"] as const) {
    const result = engine.search({ ...q, candidates: 1, sorts: [sort] });
    t.same(
      result.lists[sort]?.map((it) => it.legs.map((f) => f.id)),
      [[2, 3]],
      sort,
    );
    t.notOk(result.complete, "one of two itineraries kept");
  }
});
