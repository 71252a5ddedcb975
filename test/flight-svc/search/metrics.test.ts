import t from "tap";
import { SAMPLE_FLIGHTS } from "../../../flight-svc/data/sample-flights.js";
import { MetricsBody, searchFamilies } from "../../../flight-svc/search/metrics.js";
import { build } from "../../helpers/flight-svc.js";
import { search } from "../../helpers/search-calls.js";

// The search counters are listed once (search/metrics.ts): the JSON route and the Prometheus
// families built from that list must show every counter with the same value.

t.test("GET /api/flights/search/metrics and /metrics show every search counter alike", async (t) => {
  const { app } = await build(t, { flights: SAMPLE_FLIGHTS });
  await search(app, { source: "DEL", destination: "BLR" });
  await search(app, { source: "DEL", destination: "BLR", sort_by: "fastest" });
  await search(app, { source: "DEL", destination: "BOM", seats: 9, limit: 1 });

  const res = await app.inject({ method: "GET", url: "/api/flights/search/metrics" });
  t.equal(res.statusCode, 200);
  const json = res.json();
  t.same(Object.keys(json).sort(), Object.keys(MetricsBody.properties).sort(), "exactly the listed fields");
  t.match(json, { searches: 3, engine_runs: 2, l1_hits: 1, misses: 2, schedule_flights: 16 });

  const text = (await app.inject({ method: "GET", url: "/metrics" })).body;
  const samples = new Map<string, number>();
  for (const m of text.matchAll(/^(skybook_search_\S+) (\S+)$/gm)) samples.set(m[1] as string, Number(m[2]));
  let compared = 0;
  for (const { name, label, members } of searchFamilies()) {
    for (const { counter, series } of members) {
      const sample = label === undefined ? name : `${name}{${label}="${series}"}`;
      t.equal(samples.get(sample), json[counter], `${sample} is ${counter}`);
      compared++;
    }
  }
  t.equal(compared, Object.keys(json).length - 3, "every counter but the timetable's three figures");
  t.equal(samples.get("skybook_search_schedule_flights"), json.schedule_flights);
});
