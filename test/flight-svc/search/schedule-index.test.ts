import t from "tap";
import type { FlightInput } from "../../../flight-svc/search/schedule-index.js";
import { ScheduleIndex } from "../../../flight-svc/search/schedule-index.js";

const flight = (over: Partial<FlightInput> = {}): FlightInput => ({
  id: 1,
  flightNumber: "XX1",
  airline: "X",
  source: "AAA",
  destination: "BBB",
  dep: 1_000,
  arr: 1_100,
  priceCents: 500,
  totalSeats: 100,
  bookedSeats: 0,
  status: "scheduled",
  ...over,
});

t.test("changes that alter itineraries are structural; seats and names are not", async (t) => {
  const index = new ScheduleIndex();
  t.equal(index.upsert(flight()).structural, true, "a new flight");
  t.equal(index.upsert(flight({ bookedSeats: 7, totalSeats: 120, flightNumber: "XX9" })).structural, false);
  t.equal(index.flight(1)?.bookedSeats, 7, "but the record shows them");
  for (const change of [
    { priceCents: 501 },
    { dep: 999 },
    { arr: 1_101 },
    { destination: "CCC" },
    { status: "cancelled" as const },
  ]) {
    t.equal(index.upsert(flight(change)).structural, true, JSON.stringify(change));
  }
  t.equal(index.upsert(flight({ status: "cancelled" })).structural, false, "cancelled again");
  t.equal(index.upsert(flight({ status: "delayed" })).structural, true, "back in the timetable");
  t.equal(index.upsert(flight({ status: "scheduled" })).structural, false, "delayed or scheduled: both listed");
});

t.test("departure tables follow moves between airports and cancellations", async (t) => {
  const index = new ScheduleIndex();
  index.upsert(flight());
  index.upsert(flight({ id: 2, dep: 900 }));
  index.prepare();
  const aaa = index.airportId("AAA") as number;
  t.same([...index.departuresOf(aaa).dep], [900, 1_000]);
  index.upsert(flight({ id: 2, source: "CCC", dep: 900 }));
  index.upsert(flight({ id: 1, status: "cancelled" }));
  const graph = index.prepare();
  t.same([...index.departuresOf(aaa).dep], []);
  t.same([...index.departuresOf(index.airportId("CCC") as number).dep], [900]);
  const bbb = index.airportId("BBB") as number;
  t.same([...graph.inSrc.subarray(graph.inStart[bbb], graph.inStart[bbb + 1])], [index.airportId("CCC")]);
});
