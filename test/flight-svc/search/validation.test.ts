import t from "tap";
import { SAMPLE_FLIGHTS } from "../../../flight-svc/data/sample-flights.js";
import { build } from "../../helpers/flight-svc.js";

// Every refusal of GET /api/flights/search, over HTTP: 400, validation_error, the field named.

const base = { source: "DEL", destination: "BOM", date: "2024-02-15" };

const cases: [string, Record<string, string | undefined>, string][] = [
  ["source missing", { source: undefined }, "source"],
  ["destination missing", { destination: undefined }, "destination"],
  ["date missing", { date: undefined }, "date"],
  ["source of two letters", { source: "DE" }, "source"],
  ["destination of four letters", { destination: "BOMB" }, "destination"],
  ["source with a digit", { source: "D3L" }, "source"],
  ["source equal to destination", { destination: "del" }, "destination"],
  ["an impossible date", { date: "2024-02-30" }, "date"],
  ["a date in another format", { date: "15/02/2024" }, "date"],
  ["month 13", { date: "2024-13-01" }, "date"],
  ["seats 0", { seats: "0" }, "seats"],
  ["seats 10", { seats: "10" }, "seats"],
  ["seats not a number", { seats: "two" }, "seats"],
  ["an unknown sort_by", { sort_by: "shortest" }, "sort_by"],
  ["max_stops -1", { max_stops: "-1" }, "max_stops"],
  ["max_stops 4", { max_stops: "4" }, "max_stops"],
  ["limit 0", { limit: "0" }, "limit"],
  ["limit 101", { limit: "101" }, "limit"],
  ["limit 1.5", { limit: "1.5" }, "limit"],
];

t.test("400 with the field named", async (t) => {
  const { app } = await build(t, { flights: SAMPLE_FLIGHTS });
  for (const [name, change, field] of cases) {
    const params = Object.fromEntries(
      Object.entries({ ...base, ...change }).filter((e): e is [string, string] => e[1] !== undefined),
    );
    const res = await app.inject({ method: "GET", url: `/api/flights/search?${new URLSearchParams(params)}` });
    t.equal(res.statusCode, 400, name);
    const body = res.json();
    t.equal(body.error, "validation_error", name);
    t.equal(body.field, field, name);
    t.match(body.message, field, `${name}: the message names the field`);
  }
});

t.test("the bounds themselves are accepted", async (t) => {
  const { app } = await build(t, { flights: SAMPLE_FLIGHTS });
  const bounds: Record<string, string>[] = [
    { seats: "1", max_stops: "0", limit: "1" },
    { seats: "9", max_stops: "3", limit: "100", sort_by: "fastest" },
    { date: "2024-02-29" },
  ];
  for (const q of bounds) {
    const res = await app.inject({
      method: "GET",
      url: `/api/flights/search?${new URLSearchParams({ ...base, ...q })}`,
    });
    t.equal(res.statusCode, 200, JSON.stringify(q));
  }
});
