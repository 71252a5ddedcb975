import t from "tap";
import { SAMPLE_FLIGHTS } from "../../../flight-svc/data/sample-flights.js";
import { build } from "../../helpers/flight-svc.js";
import { numbers, search } from "../../helpers/search-calls.js";

// The original's sample (DESIGN.md): 2024-02-15, 180 seats each, minimum connection 45 min,
// maximum layover 6 h.

t.test("DEL→BOM: the three direct flights first, by price", async (t) => {
  const { app } = await build(t, { flights: SAMPLE_FLIGHTS });
  const body = await search(app, { source: "DEL", destination: "BOM" });
  t.same(numbers(body).slice(0, 3), [["AI103"], ["AI101"], ["AI102"]]);
  t.same(
    body.paths.slice(0, 3).map((p) => [p.total_price, p.stops, p.available_seats]),
    [
      [7800, 0, 100],
      [8500, 0, 130],
      [9200, 0, 150],
    ],
  );
  t.equal(body.count, body.paths.length);
});

t.test("DEL→BLR: AI201, AI202 and the connections through BOM, HYD and CCU the rules allow", async (t) => {
  const { app } = await build(t, { flights: SAMPLE_FLIGHTS });
  const cheapest = await search(app, { source: "DEL", destination: "BLR" });
  t.same(numbers(cheapest), [
    ["AI201"],
    ["AI202"],
    ["AI401", "AI402"],
    ["AI401", "AI404"],
    ["AI101", "AI302"],
    ["AI405", "AI406"],
  ]);
  t.same(
    cheapest.paths.map((p) => [p.total_price, p.total_time_minutes, p.stops]),
    [
      [12000, 180, 0],
      [13500, 180, 0],
      [15000, 270, 1],
      [15000, 300, 1],
      [15700, 570, 1],
      [19500, 390, 1],
    ],
  );
  const first = cheapest.paths[2];
  t.same(
    first?.flights.map((f) => [f.flight_number, f.available_seats, f.price]),
    [
      ["AI401", 160, 9500],
      ["AI402", 145, 5500],
    ],
  );
  t.equal(first?.available_seats, 145, "a path has the seats of its fullest leg");

  const fastest = await search(app, { source: "DEL", destination: "BLR", sort_by: "fastest" });
  t.same(numbers(fastest), [
    ["AI201"],
    ["AI202"],
    ["AI401", "AI402"],
    ["AI401", "AI404"],
    ["AI405", "AI406"],
    ["AI101", "AI302"],
  ]);

  const direct = await search(app, { source: "DEL", destination: "BLR", max_stops: 0 });
  t.same(numbers(direct), [["AI201"], ["AI202"]]);
  const two = await search(app, { source: "DEL", destination: "BLR", limit: 2, sort_by: "fastest" });
  t.same(numbers(two), [["AI201"], ["AI202"]]);
});

t.test("lower-case codes are upper-cased; an unknown airport or another day has no paths", async (t) => {
  const { app } = await build(t, { flights: SAMPLE_FLIGHTS });
  t.same(numbers(await search(app, { source: "del", destination: "bom", limit: 1 })), [["AI103"]]);
  t.same(await search(app, { source: "DEL", destination: "XYZ" }), { paths: [], count: 0 });
  t.same(await search(app, { source: "DEL", destination: "BOM", date: "2024-02-16" }), { paths: [], count: 0 });
});

t.test("the response has exactly the contract's fields", async (t) => {
  const { app } = await build(t, { flights: SAMPLE_FLIGHTS });
  const body = await search(app, { source: "DEL", destination: "BOM", limit: 1 });
  t.same(body, {
    paths: [
      {
        flights: [
          {
            id: 3,
            flight_number: "AI103",
            airline: "Air India",
            source: "DEL",
            destination: "BOM",
            departure_time: "2024-02-15T20:00:00Z",
            arrival_time: "2024-02-15T22:30:00Z",
            total_seats: 180,
            booked_seats: 80,
            price: 7800,
            status: "scheduled",
            available_seats: 100,
          },
        ],
        total_price: 7800,
        total_time_minutes: 150,
        stops: 0,
        available_seats: 100,
      },
    ],
    count: 1,
  });
});
