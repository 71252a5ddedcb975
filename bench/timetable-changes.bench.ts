// What a change to one flight costs the next search in flight-svc's in-memory timetable: the
// time of ScheduleIndex.prepare() after one retime, one price change and 100 retimes at an
// airport with 35,000 departures (FRA has 33,640 in a generated schedule of 1,000,016 flights),
// and the route graph of the generated network rebuilt whole (when an airport gains or loses a
// route). In process, no stores; medians of repeated rounds.
import { buildRouteGraph } from "../flight-svc/search/route-graph.js";
import { type FlightInput, ScheduleIndex } from "../flight-svc/search/schedule-index.js";
import { inputOf } from "../flight-svc/search/schedule-store.js";
import { generateSchedule } from "../scripts/data/generate.js";
import { Rng } from "../scripts/data/random.js";

const HUB_DEPARTURES = 35_000;
const DESTINATIONS = 300;
const DAYS = 20;
const ROUNDS = 41;
const BASE = 28_401_120; // 2024-01-01 in minutes since the epoch

const rng = new Rng(42);
const pick = (n: number) => Math.floor(rng.next() * n);
const dest = (i: number) => `D${String(i).padStart(3, "0")}`;

function hubFlight(id: number): FlightInput {
  const dep = BASE + pick(DAYS * 1_440);
  return {
    id,
    flightNumber: `HB${id}`,
    airline: "Hub Air",
    source: "HUB",
    destination: dest(pick(DESTINATIONS)),
    dep,
    arr: dep + 60 + pick(600),
    priceCents: 5_000 + pick(50_000),
    totalSeats: 180,
    bookedSeats: 0,
    status: "scheduled",
  };
}

const index = new ScheduleIndex();
const hub: FlightInput[] = [];
for (let id = 1; id <= HUB_DEPARTURES; id++) hub.push(hubFlight(id));
for (const f of hub) index.upsert(f);
// Flights back, so that the hub has in-edges and other airports have tables too.
for (let i = 0; i < DESTINATIONS; i++) {
  index.upsert({ ...hubFlight(HUB_DEPARTURES + 1 + i), source: dest(i), destination: "HUB" });
}
let t0 = performance.now();
index.prepare();
console.log(`first prepare (${HUB_DEPARTURES} hub departures sorted whole): ${(performance.now() - t0).toFixed(1)} ms`);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

function timed(label: string, change: () => void): void {
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    change();
    const t = performance.now();
    index.prepare();
    times.push(performance.now() - t);
  }
  console.log(`${label}: median ${median(times).toFixed(3)} ms, max ${Math.max(...times).toFixed(3)} ms`);
}

function retime(): void {
  const k = pick(hub.length);
  const f = hub[k] as FlightInput;
  const by = pick(241) - 120;
  hub[k] = { ...f, dep: f.dep + by, arr: f.arr + by };
  index.upsert(hub[k]);
}

timed("prepare after 1 retime at the hub", retime);
timed("prepare after 1 price change at the hub", () => {
  const k = pick(hub.length);
  hub[k] = { ...(hub[k] as FlightInput), priceCents: 5_000 + pick(50_000) };
  index.upsert(hub[k]);
});
timed("prepare after 100 retimes at the hub", () => {
  for (let i = 0; i < 100; i++) retime();
});
let nextId = HUB_DEPARTURES + DESTINATIONS + 1;
timed("prepare after 1 cancellation and 1 new flight at the hub", () => {
  const k = pick(hub.length);
  index.upsert({ ...(hub[k] as FlightInput), status: "cancelled" });
  hub[k] = hubFlight(nextId++);
  index.upsert(hub[k]);
});

// The route graph of the generated network: one day holds every route of the schedule.
const network = new ScheduleIndex();
generateSchedule({ seed: 42, flightsPerDay: 50_000, days: 1, startDate: "2024-03-01" }).forEach((row, i) => {
  network.upsert(inputOf({ ...row, id: i + 1 }));
});
network.prepare();
const tables = Array.from({ length: network.airportCount }, (_, a) => network.departuresOf(a));
const graphTimes: number[] = [];
let edges = 0;
for (let round = 0; round < ROUNDS; round++) {
  t0 = performance.now();
  edges = buildRouteGraph(tables).inSrc.length;
  graphTimes.push(performance.now() - t0);
}
console.log(
  `route graph rebuilt whole (generated network: ${network.airportCount} airports, ${edges} routes): median ${median(graphTimes).toFixed(3)} ms`,
);
