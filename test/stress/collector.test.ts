import t from "tap";
import { LoadCollector } from "../../stress/load/collector.js";
import { LatencyRecorder } from "../../stress/load/latency.js";

// HDR histograms keep 3 significant digits: a percentile is within 0.1% of the exact one.
const near = (actual: number | null | undefined, expected: number) =>
  actual !== null && actual !== undefined && Math.abs(actual - expected) <= expected * 0.001 + 0.01;

t.test("percentiles from the histogram are nearest-rank within 0.1%", async (t) => {
  const h = new LatencyRecorder();
  for (let i = 1; i <= 100; i++) h.record(i);
  const s = h.summary();
  t.ok(near(s.p50, 50), `p50 ${s.p50}`);
  t.ok(near(s.p90, 90), `p90 ${s.p90}`);
  t.ok(near(s.p95, 95), `p95 ${s.p95}`);
  t.ok(near(s.p99, 99), `p99 ${s.p99}`);
  t.ok(near(s.max, 100), `max ${s.max}`);
  t.ok(near(s.mean, 50.5), `mean ${s.mean}`);
  t.same(new LatencyRecorder().summary(), { p50: 0, p90: 0, p95: 0, p99: 0, max: 0, mean: 0 }, "empty is zeros");
});

t.test("no percentile above the max: a bucket's top is not a latency that was measured", async (t) => {
  // One answer of 1234.567 ms: its bucket reaches 1234.94 ms, and p50..p99 were printed above
  // the max (the docs' example showed p99 1.60 s beside max 1.59 s).
  const one = new LatencyRecorder();
  one.record(1234.567);
  t.same(one.summary(), { p50: 1234.57, p90: 1234.57, p95: 1234.57, p99: 1234.57, max: 1234.57, mean: 1234.43 });
  const many = new LatencyRecorder();
  for (let i = 0; i < 1_000; i++) many.record(1_000 + ((i * 7919) % 997) * 0.613);
  const s = many.summary();
  t.ok(s.p50 <= s.p90 && s.p90 <= s.p95 && s.p95 <= s.p99 && s.p99 <= s.max, JSON.stringify(s));
});

t.test("memory stays bounded: a million latencies fit the same histogram", async (t) => {
  // Typed arrays live outside the JS heap: count them too.
  const used = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers + m.external;
  };
  const h = new LatencyRecorder();
  const before = used();
  for (let i = 0; i < 1_000_000; i++) h.record((i % 5_000) / 10 + 0.1);
  const grew = used() - before;
  t.equal(h.count, 1_000_000);
  t.ok(grew < 8 * 1024 * 1024, `heap grew ${Math.round(grew / 1024)} kB (an array would take ~8 MB)`);
  t.ok(near(h.summary().p50, 250), `p50 ${h.summary().p50}`);
});

t.test("a phase result: rate, percentiles, status counts and one point per second", async (t) => {
  const c = new LoadCollector(0);
  c.target("booking", 8);
  for (let i = 0; i < 10; i++) c.response(200, i + 1, 100 + i, "booking");
  c.response(409, 50, 1_500, "booking");
  c.response(503, 80, 1_600, "booking");
  c.response(200, 5, 2_100, "booking");
  c.error(true, "booking");
  c.error(false, "booking");
  const r = c.finish("demo", 2_500);
  t.equal(r.requests, 13);
  t.equal(r.durationSeconds, 2.5);
  t.equal(r.requestsPerSecond, 5);
  t.same(r.statusCodes, { "200": 11, "409": 1, "503": 1 });
  t.equal(r.timeouts, 1);
  t.equal(r.errors, 1);
  t.equal(r.connections, 8);
  const [b] = r.targets;
  t.same(
    b?.timeline.map((p) => [p.second, p.requests, p.non2xx]),
    [
      [1, 10, 0],
      [2, 2, 2],
      [3, 2, 0],
    ],
    "the last half second counts as a rate",
  );
  t.ok(near(b?.timeline[0]?.p50, 5));
  t.ok(near(b?.timeline[1]?.p99, 80));
  t.ok(near(b?.latencyMs.max, 80));
  t.equal(
    c.count((s) => s >= 500),
    1,
  );
  t.equal(
    c.finish("cut", 2_100).targets[0]?.timeline.length,
    2,
    "a last tenth of a second is left out of the timeline",
  );
});

t.test("targets keep their own percentiles: searches are not blended with bookings", async (t) => {
  const c = new LoadCollector(0);
  c.target("search", 4);
  c.target("booking", 4);
  for (let i = 0; i < 99; i++) c.response(200, 2, 10 + i, "search");
  for (let i = 0; i < 10; i++) c.response(200, 400, 10 + i, "booking");
  c.response(200, 2, 2_500, "search");
  const r = c.finish("mixed", 3_000);
  t.same(
    r.targets.map((x) => [x.name, x.connections, x.requests]),
    [
      ["search", 4, 100],
      ["booking", 4, 10],
    ],
  );
  t.ok(near(r.targets[0]?.latencyMs.p99, 2), "search p99 stays at 2 ms");
  t.ok(near(r.targets[1]?.latencyMs.p50, 400), "booking p50 is 400 ms");
  t.same(
    r.targets[0]?.timeline.map((p) => [p.second, p.requests, p.p50 === null]),
    [
      [1, 99, false],
      [2, 0, true],
      [3, 1, false],
    ],
    "a second without answers has no latency",
  );
  t.equal(c.lastSecondRequests(1_500), 109);
});
