import t from "tap";
import { departures } from "../../stress/scenarios/check-in.js";
import { createFlights, type FlightPlan } from "../../stress/scenarios/fixtures.js";
import type { ScenarioEnv } from "../../stress/scenarios/types.js";

// A scenario's bookings name their flight's departure date. The check-in scenario's flights
// leave about three hours after it starts, one a minute; run late in a UTC day, the last of
// them used to leave after midnight while their bookings named the day before (400: "date … is
// not the departure date of flight …").

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

t.test("a flight planned past the scenario's day is booked on the date it departs", async (t) => {
  // The payment scenarios plan up to 200 flights an hour apart from 06:00: most leave on later
  // days, and their bookings named the first day (half the answers of payment-failures were 400).
  const made: { departure_time: string }[] = [];
  const decrements: [number, number, string][] = [];
  const env = {
    tag: 1,
    services: {
      createFlight: async (f: { departure_time: string }) => {
        made.push(f);
        return { id: made.length };
      },
      decrementSeats: async (id: number, seats: number, date: string) => {
        decrements.push([id, seats, date]);
      },
    },
  } as unknown as ScenarioEnv;
  const plan = (departs: number): FlightPlan => ({
    source: "QSA",
    destination: "QSB",
    departs,
    minutes: 80,
    totalSeats: 10,
    freeSeats: 6,
    price: 100,
  });
  const flights = await createFlights(env, "2026-12-04", [plan(1439), plan(1440), plan(2 * 1440 + 360)]);
  t.same(
    made.map((f) => f.departure_time),
    ["2026-12-04T23:59:00Z", "2026-12-05T00:00:00Z", "2026-12-06T06:00:00Z"],
  );
  t.same(
    flights.map((f) => f.date),
    ["2026-12-04", "2026-12-05", "2026-12-06"],
  );
  t.same(decrements, [
    [1, 4, "2026-12-04"],
    [2, 4, "2026-12-05"],
    [3, 4, "2026-12-06"],
  ]);
});
