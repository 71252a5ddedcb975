import t from "tap";
import { LoadCollector, percentile, summarize } from "../../stress/load/collector.js";

t.test("percentiles are nearest-rank", async (t) => {
  const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
  t.equal(percentile(sorted, 50), 50);
  t.equal(percentile(sorted, 90), 90);
  t.equal(percentile(sorted, 99), 99);
  t.equal(percentile(sorted, 100), 100);
  t.equal(percentile([7], 99), 7);
  t.equal(percentile([], 50), 0);
  t.same(summarize([3, 1, 2, 10]), { p50: 2, p90: 10, p99: 10, max: 10, mean: 4 });
});

t.test("a phase result: rate, percentiles, status counts and one point per second", async (t) => {
  const c = new LoadCollector(0);
  for (let i = 0; i < 10; i++) c.response(200, i + 1, 100 + i);
  c.response(409, 50, 1_500);
  c.response(503, 80, 1_600);
  c.response(200, 5, 2_100);
  c.error(true);
  c.error(false);
  const r = c.finish("demo", 8, 2_500);
  t.equal(r.requests, 13);
  t.equal(r.durationSeconds, 2.5);
  t.equal(r.requestsPerSecond, 5);
  t.same(r.statusCodes, { "200": 11, "409": 1, "503": 1 });
  t.equal(r.timeouts, 1);
  t.equal(r.errors, 1);
  t.equal(r.connections, 8);
  t.same(
    r.timeline.map((p) => [p.second, p.requests, p.non2xx]),
    [
      [1, 10, 0],
      [2, 2, 2],
      [3, 2, 0],
    ],
    "the last half second counts as a rate",
  );
  t.equal(r.timeline[0]?.p50, 5);
  t.equal(r.timeline[1]?.p99, 80);
  t.equal(r.latencyMs.max, 80);
  t.equal(
    c.count((s) => s >= 500),
    1,
  );
  t.equal(c.finish("cut", 8, 2_100).timeline.length, 2, "a last tenth of a second is left out of the timeline");
});
