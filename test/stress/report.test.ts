import t from "tap";
import { renderHtml, timeSeries } from "../../stress/report/html.js";
import { barChart, esc, lineChart, logTicks, niceTicks, segments } from "../../stress/report/svg.js";
import { renderTerminal } from "../../stress/report/terminal.js";
import type { PhaseResult, StressReport } from "../../stress/report/types.js";

const phase = (name: string, rps: number): PhaseResult => ({
  name,
  connections: 32,
  durationSeconds: 3,
  requests: rps * 3,
  requestsPerSecond: rps,
  statusCodes: { "201": rps * 2, "409": rps, "402": 12 },
  errors: 0,
  timeouts: 1,
  targets: [
    {
      name: "booking",
      connections: 32,
      requests: rps * 3,
      requestsPerSecond: rps,
      latencyMs: { p50: 4.2, p90: 11.5, p95: 20, p99: 48, max: 1_250, mean: 6 },
      statusCodes: { "201": rps * 2, "409": rps, "402": 12 },
      errors: 0,
      timeouts: 1,
      timeline: [1, 2, 3].map((second) => ({ second, requests: rps, non2xx: rps / 3, p50: 4, p99: 40 + second })),
    },
  ],
});

const REPORT: StressReport = {
  startedAt: "2024-02-15T08:00:00.000Z",
  finishedAt: "2024-02-15T08:01:30.000Z",
  seed: 42,
  targets: {
    flight: "http://127.0.0.1:8080",
    booking: "http://127.0.0.1:8081",
    payment: "http://127.0.0.1:8082",
    user: "http://127.0.0.1:8083",
  },
  ok: false,
  sloOk: false,
  scenarios: [
    {
      name: "contention",
      description: "bookings on <nearly full> flights",
      phases: [phase("contention", 1_500)],
      outcomes: { "booking confirmed": 20, "booking not_enough_seats": 4_480 },
      invariants: [
        { name: "no 5xx responses", ok: true, detail: "0 of 4500 responses" },
        { name: "no flight oversold", ok: true, detail: "6 scenario flights" },
      ],
      slos: [{ name: "booking p99 ≤ 100 ms", ok: true, detail: "booking 48 ms" }],
      wallSeconds: 9.5,
    },
    {
      name: "payment-timeouts",
      description: "timeouts",
      phases: [phase("payment-timeouts/not_processed", 300), phase("payment-timeouts/processed", 280)],
      outcomes: {},
      invariants: [
        { name: "confirmed = payments − refunds", ok: false, detail: "3 confirmed ≠ 4 charged − 0 refunded" },
      ],
      slos: [{ name: "booking p99 ≤ 45 ms", ok: false, detail: "over: not_processed booking 48 ms" }],
      wallSeconds: 14,
    },
  ],
};

t.test("ticks are round numbers covering the data", async (t) => {
  t.same(niceTicks(9), [0, 2, 4, 6, 8, 10]);
  t.same(niceTicks(1_234), [0, 500, 1_000, 1_500]);
  t.same(niceTicks(0), [0, 1]);
  t.same(logTicks(0.8, 1_250), [0.1, 1, 10, 100, 1_000, 10_000]);
  t.same(logTicks(3, 40), [1, 10, 100]);
});

t.test("a bar chart has one bar per group and series, labelled and escaped", async (t) => {
  const svg = barChart(
    "p<99>",
    [
      { name: "p50", color: "#111" },
      { name: "p99", color: "#222" },
    ],
    [
      { label: "a&b", values: [1, 10] },
      { label: "c", values: [2, 20] },
      { label: "d", values: [3, 30] },
    ],
  );
  t.equal(svg.match(/<rect class="bar"/g)?.length, 6);
  t.match(svg, "p&lt;99&gt;");
  t.match(svg, ">a&amp;b<");
  t.notMatch(svg, "<99>");
  t.ok(svg.startsWith("<svg ") && svg.endsWith("</svg>"));
});

t.test("a line chart draws each series through its points, with phase markers", async (t) => {
  const svg = lineChart(
    "throughput",
    "req/s",
    [
      {
        name: "ok",
        color: "#111",
        points: [
          [1, 10],
          [2, 20],
          [3, 15],
        ],
      },
      {
        name: "bad",
        color: "#222",
        points: [
          [1, 0],
          [2, 1],
          [3, 0],
        ],
      },
    ],
    [{ x: 2, label: "processed" }],
  );
  const lines = [...svg.matchAll(/<polyline[^>]* points="([^"]+)"/g)].map((m) => (m[1] as string).split(" ").length);
  t.same(lines, [3, 3]);
  t.match(svg, "stroke-dasharray");
  t.match(svg, ">processed<");
});

t.test(
  "the terminal report: one row per target of each phase, a line per invariant and threshold, the verdict",
  async (t) => {
    const out = renderTerminal(REPORT);
    const lines = out.split("\n");
    t.match(lines[1], /^scenario\s+target\s+req\/s\s+p50\s+p90\s+p95\s+p99\s+max\s+errors\s+timeouts\s+status codes$/);
    t.match(
      out,
      /contention\s+booking\s+1,500\s+4\.2 ms\s+11\.5 ms\s+20\.0 ms\s+48\.0 ms\s+1\.25 s\s+0\s+1\s+201×3,000 402×12 409×1,500/,
    );
    t.match(out, /PASS {2}booking p99 ≤ 100 ms\s+booking 48 ms/);
    t.match(out, /FAIL {2}booking p99 ≤ 45 ms\s+over: not_processed booking 48 ms/);
    t.match(out, "latency thresholds missed in: payment-timeouts");
    t.match(out, /payment-timeouts\/processed\s+booking\s+280/);
    t.match(out, /PASS {2}no 5xx responses\s+0 of 4500 responses/);
    t.match(out, /FAIL {2}confirmed = payments − refunds {2}3 confirmed ≠ 4 charged − 0 refunded/);
    t.match(out, "outcomes: booking not_enough_seats 4,480 · booking confirmed 20");
    t.match(lines[lines.length - 1], "FAILED: payment-timeouts (seed 42)");
    t.notMatch(out, "\x1b[", "no colour unless asked");
    t.match(renderTerminal(REPORT, true), "\x1b[32mPASS\x1b[0m");
  },
);

t.test("the HTML page is self-contained, escaped, with the charts of every scenario", async (t) => {
  const html = renderHtml(REPORT);
  t.ok(html.startsWith("<!doctype html>"));
  t.notMatch(html, /<script|<link|src=|https?:\/\/(?!127\.0\.0\.1)/, "nothing loaded from anywhere");
  t.match(html, "bookings on &lt;nearly full&gt; flights");
  t.equal(html.match(/<svg /g)?.length, 6, "latency, throughput and latency-over-time per scenario");
  t.match(html, "contention: latency percentiles");
  t.match(html, "payment-timeouts: throughput over time");
  t.equal(
    html.match(/class="badge fail"/g)?.length,
    5,
    "the run, the failed scenario in the contents and its heading, its failed invariant and threshold",
  );
  t.match(html, '<a href="#payment-timeouts">payment-timeouts</a>', "a table of contents links every scenario");
  t.match(html, "<th>p95</th>");
  t.equal(esc(`<a href="x">&</a>`), "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
});

t.test("phases are drawn apart: no line joins one phase's last second to the next one's first", async (t) => {
  const s = REPORT.scenarios[1];
  const series = timeSeries(s as NonNullable<typeof s>);
  const points = series.requests.get("booking") ?? [];
  t.same(
    points.map((p) => p[0]),
    [1, 2, 3, 3, 4, 5, 6, 6],
    "each phase at its own duration, each followed by a break",
  );
  t.same(
    segments(points).map((run) => run.length),
    [3, 3],
  );
  t.same(
    segments([
      [1, 1],
      [2, null],
      [3, null],
      [4, 2],
    ]),
    [[[1, 1]], [[4, 2]]],
    "nulls split, empty runs dropped",
  );
});
