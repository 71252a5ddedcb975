import { deepStrictEqual } from "node:assert/strict";
import fc from "fast-check";
import t from "tap";
import { buildDepartures } from "../../../flight-svc/search/departures.js";
import { SearchEngine } from "../../../flight-svc/search/engine.js";
import { DAY_MINUTES, type FlightRecord } from "../../../flight-svc/search/flight-record.js";
import type { Itinerary, SortBy } from "../../../flight-svc/search/itinerary.js";
import { buildRouteGraph } from "../../../flight-svc/search/route-graph.js";
import { type FlightInput, ScheduleIndex } from "../../../flight-svc/search/schedule-index.js";

// An index changed flight by flight (with prepares and searches in between) must hold exactly
// what an index built at once from the final flights holds: the same departure tables, route
// graph and search results. Few airports, ids and departure times make the changes collide:
// the same flight changed twice before a prepare, equal departure times ordered by id.

const BASE = 28_000_000;
const CODES = ["AAA", "BBB", "CCC", "DDD", "EEE"];
const IDS = 24;
const RUNS = 400;
const RULES = { minConnectionMinutes: 45, maxLayoverMinutes: 360 };

const flightArb = fc.record({
  s: fc.integer({ min: 0, max: CODES.length - 1 }),
  hop: fc.integer({ min: 1, max: CODES.length - 1 }),
  slot: fc.integer({ min: 0, max: 16 }),
  length: fc.integer({ min: 1, max: 12 }),
  price: fc.constantFrom(5000, 7500, 10000),
  status: fc.constantFrom("scheduled", "scheduled", "delayed", "cancelled" as const),
});

type FlightSpec = typeof flightArb extends fc.Arbitrary<infer T> ? T : never;

type Change =
  | { kind: "put"; id: number; f: FlightSpec }
  | { kind: "retime"; id: number; by: number }
  | { kind: "price"; id: number; price: number }
  | { kind: "status"; id: number; status: FlightInput["status"] }
  | { kind: "move"; id: number; s: number; hop: number }
  | { kind: "prepare" }
  | { kind: "search"; s: number; hop: number; day: number };

const idArb = fc.integer({ min: 1, max: IDS });
const changeArb: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ kind: fc.constant("put" as const), id: idArb, f: flightArb }),
  fc.record({ kind: fc.constant("retime" as const), id: idArb, by: fc.constantFrom(-30, -15, 15, 30, 60) }),
  fc.record({ kind: fc.constant("price" as const), id: idArb, price: fc.constantFrom(4000, 5000, 7500, 12000) }),
  fc.record({
    kind: fc.constant("status" as const),
    id: idArb,
    status: fc.constantFrom("scheduled", "delayed", "cancelled" as const),
  }),
  fc.record({
    kind: fc.constant("move" as const),
    id: idArb,
    s: fc.integer({ min: 0, max: CODES.length - 1 }),
    hop: fc.integer({ min: 1, max: CODES.length - 1 }),
  }),
  fc.constant({ kind: "prepare" as const }),
  fc.record({
    kind: fc.constant("search" as const),
    s: fc.integer({ min: 0, max: CODES.length - 1 }),
    hop: fc.integer({ min: 1, max: CODES.length - 1 }),
    day: fc.integer({ min: 0, max: 1 }),
  }),
);

function inputOf(id: number, f: FlightSpec): FlightInput {
  const dep = BASE + f.slot * 30;
  return {
    id,
    flightNumber: `XX${id}`,
    airline: "XX",
    source: CODES[f.s] as string,
    destination: CODES[(f.s + f.hop) % CODES.length] as string,
    dep,
    arr: dep + f.length * 30,
    priceCents: f.price,
    totalSeats: 100,
    bookedSeats: 0,
    status: f.status,
  };
}

/** The next version of a known flight, or null when the change does not apply to it. */
function changed(old: FlightInput | undefined, c: Change): FlightInput | null {
  if (c.kind === "put") return inputOf(c.id, c.f);
  if (!old) return null;
  switch (c.kind) {
    case "retime":
      return { ...old, dep: old.dep + c.by, arr: old.arr + c.by };
    case "price":
      return { ...old, priceCents: c.price };
    case "status":
      return { ...old, status: c.status };
    case "move":
      return { ...old, source: CODES[c.s] as string, destination: CODES[(c.s + c.hop) % CODES.length] as string };
    default:
      return null;
  }
}

/** Departure tables and route graph by airport code, so that indexes numbering airports differently compare. */
function byCode(index: ScheduleIndex) {
  const code = (a: number) => index.airportCode(a);
  const graph = index.prepare();
  const tables: Record<string, unknown> = {};
  const edges: string[] = [];
  for (let a = 0; a < index.airportCount; a++) {
    const d = index.departuresOf(a);
    if (d.dep.length > 0) {
      tables[code(a)] = {
        dep: [...d.dep],
        arr: [...d.arr],
        price: [...d.price],
        ids: [...d.slot].map((s) => index.flightAt(s).id),
        routeDst: [...d.routeDst].map(code),
        routePrice: [...d.routePrice],
        routeDuration: [...d.routeDuration],
        routeStart: [...d.routeStart],
        routePos: [...d.routePos],
        routeTo: [...d.routeTo].map(([dst, r]) => `${code(dst)}:${r}`).sort(),
      };
    }
    for (let e = graph.inStart[a] as number; e < (graph.inStart[a + 1] as number); e++) {
      edges.push(`${code(graph.inSrc[e] as number)}>${code(a)} ${graph.inPrice[e]} ${graph.inDuration[e]}`);
    }
  }
  return { tables, edges: edges.sort() };
}

/** The tables and graph rebuilt whole from the index's own records (same airport numbers and slots). */
function rebuiltInPlace(index: ScheduleIndex) {
  const listed: FlightRecord[][] = Array.from({ length: index.airportCount }, () => []);
  // Every flight ever added keeps its slot, so the slots are 0 .. size - 1.
  for (let slot = 0; slot < index.size; slot++) {
    const f = index.flightAt(slot);
    if (f.status !== "cancelled") listed[f.src]?.push(f);
  }
  const departures = listed.map((flights) => buildDepartures(flights));
  return { departures, graph: buildRouteGraph(departures) };
}

const shape = (it: Itinerary) => ({ ids: it.legs.map((f) => f.id), price: it.price, duration: it.duration });

function searchBoth(engine: SearchEngine, s: number, hop: number, day: number) {
  const result = engine.search({
    source: CODES[s] as string,
    destination: CODES[(s + hop) % CODES.length] as string,
    dayStart: BASE - (BASE % DAY_MINUTES) + day * DAY_MINUTES,
    maxStops: 2,
    candidates: 6,
    sorts: ["cheapest", "fastest"] as SortBy[],
  });
  return { cheapest: result.lists.cheapest?.map(shape), fastest: result.lists.fastest?.map(shape) };
}

t.test("an index changed flight by flight equals one built from the final flights", async (t) => {
  fc.assert(
    fc.property(
      fc.array(flightArb, { maxLength: IDS }),
      fc.array(changeArb, { maxLength: 80 }),
      fc.integer(),
      (start, changes, seed) => {
        const index = new ScheduleIndex();
        const engine = new SearchEngine(index, RULES);
        const current = new Map<number, FlightInput>();
        start.forEach((f, i) => {
          current.set(i + 1, inputOf(i + 1, f));
          index.upsert(inputOf(i + 1, f));
        });
        index.prepare();
        const check = () => {
          const fresh = new ScheduleIndex();
          // Another order of upserts: the result must not depend on it.
          const ids = [...current.keys()].sort((a, b) => ((a * 7919) ^ seed) - ((b * 7919) ^ seed));
          for (const id of ids) fresh.upsert(current.get(id) as FlightInput);
          deepStrictEqual(byCode(index), byCode(fresh));
          const whole = rebuiltInPlace(index);
          deepStrictEqual(index.prepare(), whole.graph);
          for (let a = 0; a < index.airportCount; a++) deepStrictEqual(index.departuresOf(a), whole.departures[a]);
          return fresh;
        };
        for (const c of changes) {
          if (c.kind === "prepare") {
            check();
          } else if (c.kind === "search") {
            const fresh = check();
            deepStrictEqual(
              searchBoth(engine, c.s, c.hop, c.day),
              searchBoth(new SearchEngine(fresh, RULES), c.s, c.hop, c.day),
            );
          } else {
            const next = changed(current.get(c.id), c);
            if (next) {
              current.set(c.id, next);
              index.upsert(next);
            }
          }
        }
        check();
      },
    ),
    { numRuns: RUNS },
  );
  t.pass(`${RUNS} random sequences of changes`);
});
