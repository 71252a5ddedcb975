import { int, ms, outcomeSummary, statusSummary } from "./format.js";
import { barChart, esc, lineChart, type Series } from "./svg.js";
import { type ScenarioResult, type StressReport, scenarioOk } from "./types.js";

// One self-contained page: inline CSS and SVG, no script, nothing fetched.

const PERCENTILES = [
  { name: "p50", color: "#4c78a8" },
  { name: "p90", color: "#72b7b2" },
  { name: "p99", color: "#f58518" },
  { name: "max", color: "#e45756" },
];

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;margin:24px auto;max-width:1180px;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 4px}
.meta{color:#555;margin-bottom:16px}.desc{color:#555;margin:0 0 10px}
table{border-collapse:collapse;margin:8px 0 12px;width:100%}
th,td{border-bottom:1px solid #e3e3e3;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f6f6;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:12px;font-weight:600;vertical-align:middle}
.pass{background:#2e7d32}.fail{background:#c62828}
.charts{display:flex;flex-wrap:wrap;gap:12px}.charts svg{border:1px solid #e3e3e3;border-radius:4px}
.outcomes{color:#444;font-size:13px}`;

const badge = (ok: boolean): string => `<span class="badge ${ok ? "pass" : "fail"}">${ok ? "PASS" : "FAIL"}</span>`;

function loadTable(scenarios: ScenarioResult[]): string {
  const head = [
    "scenario",
    "connections",
    "requests",
    "req/s",
    "p50",
    "p90",
    "p99",
    "max",
    "errors",
    "timeouts",
    "status codes",
  ];
  const rows = scenarios.flatMap((s) =>
    s.phases.map((p) => {
      const l = p.latencyMs;
      const cells = [p.connections, p.requests, p.requestsPerSecond].map((n) => `<td class="n">${int(n)}</td>`);
      const lat = [l.p50, l.p90, l.p99, l.max].map((n) => `<td class="n">${ms(n)}</td>`);
      const errs = [p.errors, p.timeouts].map((n) => `<td class="n">${int(n)}</td>`);
      return `<tr><td>${esc(p.name)}</td>${cells.join("")}${lat.join("")}${errs.join("")}<td>${esc(statusSummary(p.statusCodes))}</td></tr>`;
    }),
  );
  return `<table><tr>${head.map((h) => `<th>${h}</th>`).join("")}</tr>${rows.join("")}</table>`;
}

/** The phases of a scenario one after another on one time axis. */
function timeSeries(s: ScenarioResult) {
  const requests: [number, number][] = [];
  const non2xx: [number, number][] = [];
  const p50: [number, number][] = [];
  const p99: [number, number][] = [];
  const markers: { x: number; label: string }[] = [];
  let offset = 0;
  for (const p of s.phases) {
    if (s.phases.length > 1) markers.push({ x: offset, label: p.name.split("/").pop() ?? p.name });
    for (const t of p.timeline) {
      const x = offset + t.second;
      requests.push([x, t.requests]);
      non2xx.push([x, t.non2xx]);
      p50.push([x, t.p50]);
      p99.push([x, t.p99]);
    }
    offset += p.timeline.length;
  }
  return { requests, non2xx, p50, p99, markers };
}

function charts(s: ScenarioResult): string {
  if (s.phases.length === 0) return "";
  const t = timeSeries(s);
  const latency = barChart(
    `${s.name}: latency percentiles`,
    PERCENTILES,
    s.phases.map((p) => ({
      label: p.name,
      values: [p.latencyMs.p50, p.latencyMs.p90, p.latencyMs.p99, p.latencyMs.max],
    })),
  );
  const throughput: Series[] = [
    { name: "responses/s", color: "#4c78a8", points: t.requests },
    { name: "non-2xx/s", color: "#e45756", points: t.non2xx },
  ];
  const overTime: Series[] = [
    { name: "p50", color: "#4c78a8", points: t.p50 },
    { name: "p99", color: "#f58518", points: t.p99 },
  ];
  return (
    `<div class="charts">${latency}` +
    lineChart(`${s.name}: throughput over time`, "responses per second", throughput, t.markers) +
    lineChart(`${s.name}: latency over time`, "latency (ms)", overTime, t.markers) +
    "</div>"
  );
}

function scenarioSection(s: ScenarioResult): string {
  const rows = s.invariants
    .map((i) => `<tr><td>${badge(i.ok)}</td><td>${esc(i.name)}</td><td>${esc(i.detail)}</td></tr>`)
    .join("");
  const error = s.error ? `<p>${badge(false)} could not run: ${esc(s.error)}</p>` : "";
  const outcomes = Object.keys(s.outcomes).length
    ? `<p class="outcomes">Outcomes: ${esc(outcomeSummary(s.outcomes))}</p>`
    : "";
  return (
    `<section id="${esc(s.name)}"><h2>${esc(s.name)} ${badge(scenarioOk(s))}</h2>` +
    `<p class="desc">${esc(s.description)} · ${s.wallSeconds} s including setup and checks</p>${error}` +
    `<table><tr><th></th><th>invariant</th><th>detail</th></tr>${rows}</table>${outcomes}${charts(s)}</section>`
  );
}

export function renderHtml(report: StressReport): string {
  const t = report.targets;
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Skybook stress report ${esc(report.startedAt)}</title>` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><style>${CSS}</style></head><body>` +
    `<h1>Skybook stress report ${badge(report.ok)}</h1>` +
    `<div class="meta">${esc(report.startedAt)} – ${esc(report.finishedAt)} · seed ${report.seed} · ` +
    `flight-svc ${esc(t.flight)} · booking-svc ${esc(t.booking)} · payment-mock ${esc(t.payment)}</div>` +
    loadTable(report.scenarios) +
    report.scenarios.map(scenarioSection).join("") +
    "</body></html>\n"
  );
}
