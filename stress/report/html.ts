import { int, ms, outcomeSummary, statusSummary } from "./format.js";
import { barChart, esc, lineChart, type Series } from "./svg.js";
import { LATENCY_STATS, type ScenarioResult, type StressReport, scenarioOk, sloOk } from "./types.js";

// One self-contained page: inline CSS and SVG, no script, nothing fetched. A table of contents
// at the top links every scenario; each scenario's charts sit in one row.

const PERCENTILES = [
  { name: "p50", color: "#4c78a8" },
  { name: "p90", color: "#72b7b2" },
  { name: "p95", color: "#54a24b" },
  { name: "p99", color: "#f58518" },
  { name: "max", color: "#e45756" },
];
const TARGET_COLORS = ["#4c78a8", "#f58518", "#54a24b", "#b279a2"];

const CSS = `
body{font:13px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;margin:16px auto;max-width:1180px;padding:0 16px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:18px 0 2px}
.meta{color:#555;margin-bottom:8px}.desc{color:#555;margin:0 0 6px}
nav ol{margin:4px 0 8px;padding-left:20px;columns:2}nav li{margin:1px 0}
table{border-collapse:collapse;margin:4px 0 8px;width:100%}
th,td{border-bottom:1px solid #e3e3e3;padding:2px 6px;text-align:left;vertical-align:top}
th{background:#f6f6f6;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.badge{display:inline-block;padding:0 7px;border-radius:10px;color:#fff;font-size:11px;font-weight:600;vertical-align:middle}
.pass{background:#2e7d32}.fail{background:#c62828}.na{background:#8d6e00}
.charts{display:flex;flex-wrap:nowrap;gap:8px}.charts svg{border:1px solid #e3e3e3;border-radius:4px}
.outcomes{color:#444;font-size:12px;margin:2px 0}`;

const badge = (ok: boolean, na = false): string =>
  na
    ? `<span class="badge na">N/A</span>`
    : `<span class="badge ${ok ? "pass" : "fail"}">${ok ? "PASS" : "FAIL"}</span>`;

function loadTable(scenarios: ScenarioResult[]): string {
  const head = [
    "phase",
    "target",
    "conns",
    "requests",
    "req/s",
    "p50",
    "p90",
    "p95",
    "p99",
    "max",
    "errors",
    "timeouts",
  ];
  const rows = scenarios.flatMap((s) =>
    s.phases.flatMap((p) =>
      p.targets.map((t) => {
        const cells = [t.connections, t.requests, t.requestsPerSecond].map((n) => `<td class="n">${int(n)}</td>`);
        const lat = LATENCY_STATS.map((stat) => `<td class="n">${ms(t.latencyMs[stat])}</td>`);
        const errs = [t.errors, t.timeouts].map((n) => `<td class="n">${int(n)}</td>`);
        const codes = esc(statusSummary(t.statusCodes));
        return `<tr title="${codes}"><td>${esc(p.name)}</td><td>${esc(t.name)}</td>${cells.join("")}${lat.join("")}${errs.join("")}</tr>`;
      }),
    ),
  );
  return `<table><tr>${head.map((h) => `<th>${h}</th>`).join("")}</tr>${rows.join("")}</table>`;
}

/**
 * The phases of a scenario one after another on one time axis, each at its own measured
 * duration, with a break between phases so that no line joins one phase's last second to the
 * next one's first; a second without answers breaks the latency lines too.
 */
export function timeSeries(s: ScenarioResult) {
  const names = [...new Set(s.phases.flatMap((p) => p.targets.map((t) => t.name)))];
  const requests = new Map<string, [number, number | null][]>(names.map((n) => [n, []]));
  const p50 = new Map<string, [number, number | null][]>(names.map((n) => [n, []]));
  const p99 = new Map<string, [number, number | null][]>(names.map((n) => [n, []]));
  const non2xx: [number, number | null][] = [];
  const markers: { x: number; label: string }[] = [];
  let offset = 0;
  for (const p of s.phases) {
    if (s.phases.length > 1) markers.push({ x: offset, label: p.name.split("/").pop() ?? p.name });
    const bad = new Map<number, number>();
    for (const t of p.targets) {
      for (const pt of t.timeline) {
        const x = offset + pt.second;
        requests.get(t.name)?.push([x, pt.requests]);
        p50.get(t.name)?.push([x, pt.p50]);
        p99.get(t.name)?.push([x, pt.p99]);
        bad.set(x, (bad.get(x) ?? 0) + pt.non2xx);
      }
    }
    for (const [x, n] of [...bad].sort((a, b) => a[0] - b[0])) non2xx.push([x, n]);
    offset += Math.ceil(p.durationSeconds);
    for (const series of [...requests.values(), ...p50.values(), ...p99.values(), non2xx]) {
      series.push([offset, null]);
    }
  }
  return { names, requests, non2xx, p50, p99, markers };
}

function charts(s: ScenarioResult): string {
  if (s.phases.length === 0) return "";
  const t = timeSeries(s);
  const color = (name: string) => TARGET_COLORS[t.names.indexOf(name) % TARGET_COLORS.length] as string;
  const latency = barChart(
    `${s.name}: latency percentiles`,
    PERCENTILES,
    s.phases.flatMap((p) =>
      p.targets.map((x) => ({
        label: s.phases.length > 1 ? (p.name.split("/").pop() ?? p.name) : x.name,
        values: LATENCY_STATS.map((stat) => x.latencyMs[stat]),
      })),
    ),
  );
  const throughput: Series[] = [
    ...t.names.map((n) => ({ name: `${n}/s`, color: color(n), points: t.requests.get(n) ?? [] })),
    { name: "non-2xx/s", color: "#e45756", points: t.non2xx },
  ];
  const overTime: Series[] = t.names.flatMap((n) => [
    { name: `${n} p99`, color: color(n), points: t.p99.get(n) ?? [] },
    { name: `${n} p50`, color: `${color(n)}88`, points: t.p50.get(n) ?? [] },
  ]);
  return (
    `<div class="charts">${latency}` +
    lineChart(`${s.name}: throughput over time`, "responses per second", throughput, t.markers) +
    lineChart(`${s.name}: latency over time`, "latency (ms)", overTime, t.markers) +
    "</div>"
  );
}

function scenarioSection(s: ScenarioResult): string {
  const rows = [
    ...s.invariants.map(
      (i) => `<tr><td>${badge(i.ok, i.notApplicable)}</td><td>${esc(i.name)}</td><td>${esc(i.detail)}</td></tr>`,
    ),
    ...s.slos.map((x) => `<tr><td>${badge(x.ok)}</td><td>${esc(x.name)}</td><td>${esc(x.detail)}</td></tr>`),
  ].join("");
  const error = s.error ? `<p>${badge(false)} could not run: ${esc(s.error)}</p>` : "";
  const outcomes = Object.keys(s.outcomes).length
    ? `<p class="outcomes">Outcomes as answered: ${esc(outcomeSummary(s.outcomes))}</p>`
    : "";
  const reconciliation = s.reconciliation
    ? `<p class="outcomes">Answers vs database: ${esc(s.reconciliation)}</p>`
    : "";
  return (
    `<section id="${esc(s.name)}"><h2>${esc(s.name)} ${badge(scenarioOk(s) && sloOk(s))}</h2>` +
    `<p class="desc">${esc(s.description)} · ${s.wallSeconds} s including setup and checks</p>${error}` +
    `<table><tr><th></th><th>invariant</th><th>detail</th></tr>${rows}</table>${outcomes}${reconciliation}${charts(s)}</section>`
  );
}

function contents(report: StressReport): string {
  const items = report.scenarios.map((s) => {
    const failed = s.invariants.filter((i) => !i.ok).length + s.slos.filter((x) => !x.ok).length;
    const na = s.invariants.filter((i) => i.notApplicable).length;
    const note = failed ? `${failed} failed` : `all ${s.invariants.length + s.slos.length - na} held`;
    return `<li><a href="#${esc(s.name)}">${esc(s.name)}</a> ${badge(scenarioOk(s) && sloOk(s))} ${note}${na ? `, ${na} not applicable` : ""}</li>`;
  });
  return `<nav><ol>${items.join("")}</ol></nav>`;
}

export function renderHtml(report: StressReport): string {
  const t = report.targets;
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Skybook stress report ${esc(report.startedAt)}</title>` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><style>${CSS}</style></head><body>` +
    `<h1>Skybook stress report ${badge(report.ok && report.sloOk)}</h1>` +
    `<div class="meta">${esc(report.startedAt)} – ${esc(report.finishedAt)} · seed ${report.seed} · ` +
    `flight-svc ${esc(t.flight)} · booking-svc ${esc(t.booking)} · payment-mock ${esc(t.payment)} · user-svc ${esc(t.user)}</div>` +
    (report.interrupted
      ? `<p class="meta">Interrupted (${esc(report.interrupted.signal)}) ${report.interrupted.scenario ? `during ${esc(report.interrupted.scenario)}: only the scenarios before it are reported` : "before the first scenario"}.</p>`
      : "") +
    contents(report) +
    loadTable(report.scenarios) +
    report.scenarios.map(scenarioSection).join("") +
    "</body></html>\n"
  );
}
