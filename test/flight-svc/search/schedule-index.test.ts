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

t.test("a price change is set in place: no departure table or route graph is rebuilt", async (t) => {
  const index = new ScheduleIndex();
  index.upsert(flight());
  index.upsert(flight({ id: 2, dep: 900, priceCents: 700 }));
  const graph = index.prepare();
  const aaa = index.airportId("AAA") as number;
  const table = index.departuresOf(aaa);
  t.equal(index.upsert(flight({ priceCents: 800 })).structural, true);
  t.equal(index.prepare(), graph, "the same graph");
  t.equal(index.departuresOf(aaa), table, "the same table");
  t.same([...table.price], [700, 800]);
  t.same([...table.routePrice], [700]);
  t.same([...graph.inPrice], [700], "the route's lowest price");
  index.upsert(flight({ id: 2, dep: 900, priceCents: 900 }));
  index.prepare();
  t.same([...table.routePrice, ...graph.inPrice], [800, 800], "the lowest rises with its flight");
});

t.test("a retime at a large airport sorts only the changed flights", async (t) => {
  const index = new ScheduleIndex();
  for (let id = 1; id <= 1_000; id++) index.upsert(flight({ id, dep: 1_000 + id, arr: 1_100 + id }));
  index.prepare();
  for (const id of [5, 500, 995]) index.upsert(flight({ id, dep: 3_000 - id, arr: 3_100 - id }));
  const sorted: number[] = [];
  const sort = Array.prototype.sort;
  Array.prototype.sort = function (this: unknown[], compare?: (a: unknown, b: unknown) => number) {
    sorted.push(this.length);
    return sort.call(this, compare);
  };
  try {
    index.prepare();
  } finally {
    Array.prototype.sort = sort;
  }
  t.same(sorted, [3], "the three retimed flights, not the 1,000");
  const dep = [...index.departuresOf(index.airportId("AAA") as number).dep];
  t.same(dep.slice(-3), [2_005, 2_500, 2_995]);
  t.same(
    dep,
    [...dep].sort((a, b) => a - b),
    "in departure order",
  );
});
