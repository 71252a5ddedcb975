import { Ajv } from "ajv";
import t, { type Test } from "tap";
import { SAMPLE_FLIGHTS } from "../../../flight-svc/data/sample-flights.js";
import { SearchResponse } from "../../../flight-svc/search/schemas.js";
import { generateSchedule } from "../../../scripts/data/generate.js";
import { build } from "../../helpers/flight-svc.js";
import { searchUrl } from "../../helpers/search-calls.js";

// The search route answers a prebuilt JSON string (render.ts), so Fastify never applies its
// declared 200 schema: this holds the renderer to it. The schema is checked strictly (no field
// missing, none extra) on many searches: direct and multi-leg, sold-out filtering, empty.

/** The schema with `additionalProperties: false` on every object: an extra field is a drift. */
function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict);
  if (schema === null || typeof schema !== "object") return schema;
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) copy[k] = strict(v);
  if (copy.type === "object") copy.additionalProperties = false;
  return copy;
}

const validate = new Ajv({ allErrors: true }).compile(strict(JSON.parse(JSON.stringify(SearchResponse))) as object);

interface Tally {
  searches: number;
  empty: number;
  /** Paths by their number of stops. */
  stops: number[];
}

function check(t: Test, url: string, status: number, text: string, tally: Tally): void {
  if (status !== 200) {
    t.fail(`${url}: ${status} ${text}`);
    return;
  }
  const body: unknown = JSON.parse(text);
  tally.searches++;
  if (!validate(body)) {
    t.fail(`${url}: ${JSON.stringify(validate.errors)}`);
    return;
  }
  const { count, paths } = body as { count: number; paths: { stops: number }[] };
  if (count === 0) tally.empty++;
  for (const p of paths) tally.stops[p.stops] = (tally.stops[p.stops] ?? 0) + 1;
}

t.test("the validator refuses a body that drifts from the schema", async (t) => {
  const { app } = await build(t, { flights: SAMPLE_FLIGHTS });
  const res = await app.inject({ method: "GET", url: searchUrl({ source: "DEL", destination: "BLR" }) });
  const body = res.json();
  t.ok(validate(body), "the rendered body passes");
  const missing = structuredClone(body);
  delete missing.paths[2].flights[1].available_seats;
  t.notOk(validate(missing), "a flight without its seats");
  const extra = structuredClone(body);
  extra.paths[0].currency = "INR";
  t.notOk(validate(extra), "a field the schema does not name");
  const typed = structuredClone(body);
  typed.paths[0].stops = "0";
  t.notOk(validate(typed), "a number as a string");
});

t.test("rendered searches of the sample match the 200 schema", async (t) => {
  const { app } = await build(t, { flights: SAMPLE_FLIGHTS });
  // AI406 (id 13) sold out: paths through it are filtered by seats, some searches come back empty.
  await app.sql`UPDATE flights SET booked_seats = total_seats WHERE id = 13`;
  await app.timetable.reload();
  const airports = ["DEL", "BOM", "BLR", "HYD", "CCU", "GOI"];
  const tally: Tally = { searches: 0, empty: 0, stops: [0, 0, 0, 0] };
  for (const source of airports) {
    for (const destination of airports) {
      if (source === destination) continue;
      for (const [sort_by, seats, max_stops, limit] of [
        ["cheapest", 1, 3, 20],
        ["fastest", 9, 1, 2],
        ["cheapest", 1, 0, 1],
      ] as const) {
        const url = searchUrl({ source, destination, sort_by, seats, max_stops, limit });
        const res = await app.inject({ method: "GET", url });
        check(t, url, res.statusCode, res.body, tally);
      }
    }
  }
  t.equal(tally.searches, 90);
  t.ok(tally.empty > 0, `${tally.empty} empty results`);
  t.ok((tally.stops[1] ?? 0) > 0, `paths by stops: ${tally.stops}`);
});

t.test("rendered searches of a generated network match the 200 schema, up to 3 stops", async (t) => {
  const flights = generateSchedule({ seed: 11, flightsPerDay: 8_000, days: 2, startDate: "2024-03-01" });
  const { app } = await build(t, { flights });
  const airports = [...new Set(flights.map((f) => f.source))].sort();
  const tally: Tally = { searches: 0, empty: 0, stops: [0, 0, 0, 0] };
  for (let i = 0; i < 150; i++) {
    const source = airports[(i * 7) % airports.length] as string;
    const destination = airports[(i * 13 + 5) % airports.length] as string;
    if (source === destination) continue;
    const url = searchUrl({
      source,
      destination,
      date: "2024-03-01",
      sort_by: i % 2 ? "fastest" : "cheapest",
      seats: 1 + (i % 9),
      max_stops: 3 - (i % 4),
      limit: 1 + ((i * 17) % 100),
    });
    const res = await app.inject({ method: "GET", url });
    check(t, url, res.statusCode, res.body, tally);
  }
  t.ok(tally.searches > 100, `${tally.searches} searches`);
  t.ok(
    tally.stops.every((n) => n > 0),
    `paths by stops: ${tally.stops}`,
  );
});
