import t from "tap";
import { departures } from "../../stress/scenarios/check-in.js";
import { createFlights, type FlightPlan } from "../../stress/scenarios/fixtures.js";
import type { ScenarioEnv } from "../../stress/scenarios/types.js";

// The check-in scenario's flights leave about three hours after it starts, one a minute; run
// late in a UTC day, the last of them used to leave after midnight while their bookings named
// the day before (400: "date … is not the departure date of flight …").

const at = (iso: string) => Date.parse(iso);

t.test("the flights leave about three hours on, one a minute, all on one UTC day", async (t) => {
  for (const now of ["2026-12-04T12:00:00Z", "2026-12-04T20:54:00Z", "2026-12-04T20:58:30Z", "2026-12-04T21:00:00Z"]) {
    const { date, minute } = departures(at(now), 6);
    const first = at(`${date}T00:00:00Z`) + minute * 60_000;
    const last = first + 5 * 60_000;
    t.equal(new Date(last).toISOString().slice(0, 10), date, `${now}: the last leaves on ${date}`);
    t.ok(first - at(now) >= 170 * 60_000 && first - at(now) <= 180 * 60_000, `${now}: the first leaves in about 3 h`);
  }
  t.same(departures(at("2026-12-04T20:58:30Z"), 6), { date: "2026-12-04", minute: 1434 });
  t.same(departures(at("2026-12-04T21:00:00Z"), 6), { date: "2026-12-05", minute: 0 });
});

t.test("a flight planned to leave outside the scenario's day is refused before any is made", async (t) => {
  const made: unknown[] = [];
  const env = { services: { createFlight: async (f: unknown) => made.push(f) } } as unknown as ScenarioEnv;
  const plan = (departs: number): FlightPlan => ({
    source: "QSA",
    destination: "QSB",
    departs,
    minutes: 80,
    totalSeats: 10,
    freeSeats: 10,
    price: 100,
  });
  await t.rejects(createFlights(env, "2026-12-04", [plan(1439), plan(1440)]), /outside 2026-12-04: 1440/);
  await t.rejects(createFlights(env, "2026-12-04", [plan(-1)]), /outside/);
  t.equal(made.length, 0);
});
