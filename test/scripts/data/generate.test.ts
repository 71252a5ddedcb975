import t from "tap";
import { MAX_FLIGHT_MINUTES } from "../../../flight-svc/search/flight-record.js";
import { airports, distanceKm } from "../../../scripts/data/airports.js";
import { HUBS } from "../../../scripts/data/carriers.js";
import { type FlightRow, generateSchedule, SAMPLE_FLIGHTS } from "../../../scripts/data/generate.js";
import { durationMinutes } from "../../../scripts/data/timetable.js";

const START = "2024-02-15";
const DAY_MS = 86_400_000;
const opts = { seed: 7, flightsPerDay: 3_000, days: 2, startDate: START };

/** Index of the first row that differs, -1 if none: a failure names one row, not a 1 MB diff. */
function firstDifference(a: FlightRow[], b: FlightRow[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (JSON.stringify(a[i]) !== JSON.stringify(b[i])) return i;
  return -1;
}

// DESIGN.md's table, as written there: the oracle for the sample.
const DESIGN_SAMPLE = `1 AI101 DEL→BOM 08:00–10:30 50 8500 · 2 AI102 DEL→BOM 14:00–16:30 30 9200 ·
3 AI103 DEL→BOM 20:00–22:30 80 7800 · 4 AI201 DEL→BLR 09:00–12:00 40 12000 ·
5 AI202 DEL→BLR 15:00–18:00 60 13500 · 6 AI301 BOM→BLR 10:00–11:30 25 6500 ·
7 AI302 BOM→BLR 16:00–17:30 45 7200 · 8 AI401 DEL→HYD 07:00–09:00 20 9500 ·
9 AI402 HYD→BLR 10:30–11:30 35 5500 · 10 AI403 BOM→HYD 08:30–10:00 30 6800 ·
11 AI404 HYD→BLR 11:00–12:00 25 5500 · 12 AI405 DEL→CCU 06:00–08:00 15 11000 ·
13 AI406 CCU→BLR 09:30–12:30 20 8500 · 14 AI501 BOM→DEL 11:00–13:30 40 8500 ·
15 AI502 BLR→DEL 13:00–16:00 35 12000 · 16 AI503 BLR→BOM 12:00–13:30 30 6500`;

t.test("the same seed gives the same flights", async (t) => {
  const a = generateSchedule(opts);
  const b = generateSchedule({ ...opts });
  t.equal(a.length, 16 + 6_000);
  t.equal(firstDifference(a, b), -1);
});

t.test("another seed gives other flights of the same count", async (t) => {
  const a = generateSchedule(opts);
  const b = generateSchedule({ ...opts, seed: 8 });
  t.equal(b.length, a.length);
  t.equal(firstDifference(a, b), 16, "the sample is the same, the generated flights are not");
});

t.test("a day's flights do not depend on how many days there are", async (t) => {
  const one = generateSchedule({ ...opts, days: 1 });
  const three = generateSchedule({ ...opts, days: 3 });
  t.equal(firstDifference(one, three.slice(0, one.length)), -1);
});

t.test("the sample schedule comes first with ids 1–16, as DESIGN.md lists it", async (t) => {
  const expected = DESIGN_SAMPLE.split("·").map((entry) => {
    const [id, number, route, times, booked, price] = entry.trim().split(/\s+/);
    const [source, destination] = route!.split("→");
    const [dep, arr] = times!.split("–");
    return {
      id: Number(id),
      flight_number: number,
      source,
      destination,
      departure_time: `${START}T${dep}:00.000Z`,
      arrival_time: `${START}T${arr}:00.000Z`,
      total_seats: 180,
      booked_seats: Number(booked),
      price: Number(price),
      status: "scheduled",
    };
  });
  t.equal(expected.length, 16);
  for (const rows of [generateSchedule(opts), generateSchedule({ ...opts, flightsPerDay: 0 }), [...SAMPLE_FLIGHTS]]) {
    const sample = rows.slice(0, 16).map(({ airline: _airline, ...r }) => ({
      ...r,
      departure_time: r.departure_time.toISOString(),
      arrival_time: r.arrival_time.toISOString(),
    }));
    t.strictSame(sample, expected);
  }
  t.equal(generateSchedule({ ...opts, flightsPerDay: 0 }).length, 16);
});

t.test("changing a returned row does not change the sample", async (t) => {
  const rows = generateSchedule({ ...opts, flightsPerDay: 0 });
  rows[0]!.departure_time.setUTCFullYear(2000);
  rows[0]!.booked_seats = 0;
  t.equal(SAMPLE_FLIGHTS[0]!.departure_time.toISOString(), "2024-02-15T08:00:00.000Z");
  t.equal(SAMPLE_FLIGHTS[0]!.booked_seats, 50);
});

t.test("every generated flight fits the flights table and reads like a real one", async (t) => {
  const rows = generateSchedule(opts);
  const known = new Map(airports().map((a) => [a.iata, a]));
  const sampleNumbers = new Set(SAMPLE_FLIGHTS.map((f) => f.flight_number));
  const bad: string[] = [];
  for (const r of rows.slice(16)) {
    const minutes = (r.arrival_time.getTime() - r.departure_time.getTime()) / 60_000;
    const km = distanceKm(known.get(r.source)!, known.get(r.destination)!);
    const problems = [
      r.id !== undefined && "has an id",
      !/^[A-Z0-9]{2}[0-9]{1,4}$/.test(r.flight_number) && "flight number",
      sampleNumbers.has(r.flight_number) && "reuses a sample flight number",
      !(known.has(r.source) && known.has(r.destination)) && "unknown airport",
      r.source === r.destination && "same airports",
      !(r.total_seats >= 120 && r.total_seats <= 400) && "seats",
      !(r.booked_seats >= 0 && r.booked_seats <= r.total_seats) && "booked seats",
      !(r.price > 0 && Math.round(r.price * 100) / 100 === r.price) && "price",
      // about 800 km/h plus taxiing
      !(minutes >= 30 && minutes >= (km / 900) * 60 && minutes <= (km / 700) * 60 + 45) && "duration",
      r.status !== "scheduled" && "status",
      r.airline === "" && "airline",
    ].filter(Boolean);
    if (problems.length > 0) bad.push(`${JSON.stringify(r)}: ${problems.join(", ")}`);
  }
  t.strictSame(bad.slice(0, 5), []);
});

t.test("no generated flight, the sample's included, is longer than flight-svc accepts", async (t) => {
  const rows = generateSchedule(opts);
  const longest = Math.max(...rows.map((r) => r.arrival_time.getTime() - r.departure_time.getTime()));
  t.ok(longest <= MAX_FLIGHT_MINUTES * 60_000, `the longest is ${longest / 60_000} minutes`);
  // The farthest two airports can be: half the Earth's circumference.
  t.ok(durationMinutes(20_038) <= MAX_FLIGHT_MINUTES, "nor could any route be");
});

t.test("each day has its flights departing on it, in departure order", async (t) => {
  const rows = generateSchedule({ ...opts, days: 3 }).slice(16);
  const start = Date.parse(`${START}T00:00:00Z`);
  for (let day = 0; day < 3; day++) {
    const of = rows.slice(day * 3_000, (day + 1) * 3_000).map((r) => r.departure_time.getTime());
    t.ok(
      of.every((ms) => ms >= start + day * DAY_MS && ms < start + (day + 1) * DAY_MS),
      `day ${day}`,
    );
    t.ok(
      of.every((ms, i) => i === 0 || ms >= of[i - 1]!),
      `day ${day} sorted`,
    );
  }
});

t.test("distances are great-circle distances", async (t) => {
  const a = new Map(airports().map((x) => [x.iata, x]));
  const km = (x: string, y: string) => distanceKm(a.get(x)!, a.get(y)!);
  t.ok(Math.abs(km("DEL", "BOM") - 1_140) < 30, `DEL–BOM ${km("DEL", "BOM")} km`);
  t.ok(Math.abs(km("LHR", "JFK") - 5_540) < 40, `LHR–JFK ${km("LHR", "JFK")} km`);
  t.ok(Math.abs(km("SYD", "SIN") - 6_300) < 60, `SYD–SIN ${km("SYD", "SIN")} km`);
  t.equal(km("DEL", "BOM"), km("BOM", "DEL"));
});

t.test("hub-and-spoke: hubs are far busier, and every airport has flights each way", async (t) => {
  const rows = generateSchedule({ ...opts, flightsPerDay: 3_000, days: 1 }).slice(16);
  const departures = new Map<string, number>();
  const arrivals = new Map<string, number>();
  for (const r of rows) {
    departures.set(r.source, (departures.get(r.source) ?? 0) + 1);
    arrivals.set(r.destination, (arrivals.get(r.destination) ?? 0) + 1);
  }
  const all = airports();
  t.equal(departures.size, all.length, "every airport has a departure");
  t.equal(arrivals.size, all.length, "every airport has an arrival");
  const hubs = new Set(HUBS.map((h) => h.iata));
  const mean = (codes: string[]) => codes.reduce((s, c) => s + departures.get(c)!, 0) / codes.length;
  const hubMean = mean([...hubs]);
  const spokeMean = mean(all.map((a) => a.iata).filter((c) => !hubs.has(c)));
  t.ok(hubMean > 8 * spokeMean, `hubs ${hubMean.toFixed(0)} departures a day, others ${spokeMean.toFixed(1)}`);
});

t.test("longer flights cost more", async (t) => {
  const a = new Map(airports().map((x) => [x.iata, x]));
  const rows = generateSchedule(opts).slice(16);
  const perBand = [0, 0, 0, 0];
  const count = [0, 0, 0, 0];
  for (const r of rows) {
    const km = distanceKm(a.get(r.source)!, a.get(r.destination)!);
    const band = km < 1_000 ? 0 : km < 3_000 ? 1 : km < 7_000 ? 2 : 3;
    perBand[band]! += r.price;
    count[band]!++;
  }
  const means = perBand.map((sum, i) => sum / count[i]!);
  t.ok(
    means.every((m, i) => i === 0 || m > means[i - 1]!),
    `mean fares by distance band: ${means.map((m) => m.toFixed(0)).join(" < ")}`,
  );
});

t.test("the bench size: 100,000 flights a day, quickly", async (t) => {
  const started = performance.now();
  const rows = generateSchedule({ seed: 42, flightsPerDay: 100_000, days: 1, startDate: START });
  t.comment(`generated 100,000 flights in ${(performance.now() - started).toFixed(0)} ms`);
  t.equal(rows.length, 100_016);
  t.ok(
    rows.every((r) => /^[A-Z0-9]{2}[0-9]{1,4}$/.test(r.flight_number)),
    "flight numbers keep to 1–4 digits",
  );
  const perNumber = new Set(rows.slice(16).map((r) => r.flight_number));
  t.equal(perNumber.size, 100_000, "a flight number is used once a day");
});

t.test("impossible options are refused", async (t) => {
  t.throws(() => generateSchedule({ ...opts, days: 0 }), RangeError);
  t.throws(() => generateSchedule({ ...opts, flightsPerDay: -1 }), RangeError);
  t.throws(() => generateSchedule({ ...opts, flightsPerDay: 1.5 }), RangeError);
  t.throws(() => generateSchedule({ ...opts, startDate: "15/02/2024" }), RangeError);
  t.throws(() => generateSchedule({ ...opts, flightsPerDay: 1_000_000, days: 6 }), RangeError);
});
