import { readFileSync } from "node:fs";
import t, { type Test } from "tap";
import { parse } from "yaml";
import { projectPath } from "../../lib/paths.js";
import { SERVICES } from "../helpers/services.js";

interface Panel {
  title: string;
  type: string;
  datasource?: { uid: string };
  targets?: { expr: string }[];
}

const dashboard = JSON.parse(readFileSync(projectPath("observability/grafana/dashboards/skybook.json"), "utf8")) as {
  uid: string;
  panels: Panel[];
};
const queries = dashboard.panels.flatMap((p) => (p.targets ?? []).map((q) => ({ panel: p.title, expr: q.expr })));

// PromQL words that are not metric names: functions, aggregations, keywords, label names.
const NOT_METRICS = new Set([
  "sum",
  "max",
  "min",
  "avg",
  "rate",
  "delta",
  "increase",
  "by",
  "without",
  "histogram_quantile",
  "job",
  "le",
  "method",
  "route",
  "status_class",
  "result",
  "kind",
  "where",
  "outcome",
  "action",
  "upstream",
  "operation",
]);

/** The metric names a query reads: identifiers outside label matchers and ranges, minus PromQL's own words. */
function metricsOf(expr: string): string[] {
  const bare = expr.replace(/\{[^}]*\}/g, "").replace(/\[[^\]]*\]/g, "");
  return [...bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)].map((m) => m[0]).filter((w) => !NOT_METRICS.has(w));
}

/** The type given to a histogram's _bucket, _sum and _count: counts, read by rate() as counters are. */
const SAMPLE = "histogram sample";

/** The sample names a /metrics text can carry, each with its type: every family, and a histogram's samples. */
function exposedNames(text: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name, type] = m as unknown as [string, string, string];
    names.set(name, type);
    if (type === "histogram" || type === "summary")
      for (const s of ["_bucket", "_sum", "_count"]) names.set(name + s, SAMPLE);
  }
  return names;
}

/** Every service's /metrics, its samples' names and types. */
async function exposedByServices(t: Test): Promise<Map<string, string>> {
  const exposed = new Map<string, string>();
  for (const { name, build } of SERVICES) {
    const app = await build();
    await app.ready();
    const res = await app.inject({ method: "GET", url: "/metrics" });
    await app.close();
    t.equal(res.statusCode, 200, name);
    t.match(res.headers["content-type"], /^text\/plain; version=0\.0\.4/, `${name} answers Prometheus text`);
    for (const [n, type] of exposedNames(res.body)) exposed.set(n, type);
  }
  return exposed;
}

t.test("every metric the dashboard queries is on some service's /metrics", async (t) => {
  const exposed = await exposedByServices(t);
  t.ok(queries.length >= 20, `${queries.length} queries`);
  const read = new Set(queries.flatMap((q) => metricsOf(q.expr)));
  t.ok(read.size >= 15, `${read.size} metrics read`);
  for (const q of queries) {
    for (const metric of metricsOf(q.expr)) t.ok(exposed.has(metric), `${q.panel}: ${metric} is exposed`);
  }
});

t.test("counters are named _total and read by rate or increase, gauges by delta", async (t) => {
  const exposed = await exposedByServices(t);
  // prom-client's own process metrics name some gauges _total (nodejs_active_handles_total).
  const ours = [...exposed].filter(([name]) => !/^(nodejs|process)_/.test(name));
  for (const [name, type] of ours) {
    if (name.endsWith("_total")) t.equal(type, "counter", `${name} ends in _total`);
    if (type === "counter") t.ok(name.endsWith("_total"), `counter ${name} ends in _total`);
  }
  // delta() of a count that a restart sets back to 0 reads a fall; rate() and increase() do not.
  for (const q of queries) {
    for (const m of q.expr.matchAll(/\b(rate|increase|delta)\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)/g)) {
      const [, fn, metric] = m as unknown as [string, string, string];
      const wanted = fn === "delta" ? ["gauge"] : ["counter", SAMPLE];
      t.ok(wanted.includes(exposed.get(metric) ?? ""), `${q.panel}: ${fn}(${metric}) reads a ${exposed.get(metric)}`);
    }
  }
});

t.test("the dashboard shows what the issue asks for, from the provisioned Prometheus", async (t) => {
  const datasource = parse(
    readFileSync(projectPath("observability/grafana/provisioning/datasources/prometheus.yml"), "utf8"),
  ) as { datasources: { uid: string; url: string }[] };
  const uid = datasource.datasources[0]?.uid;
  for (const p of dashboard.panels.filter((p) => p.type !== "row")) t.equal(p.datasource?.uid, uid, p.title);
  const all = queries.map((q) => q.expr).join("\n");
  for (const family of [
    "http_requests_total",
    "http_request_duration_seconds_bucket",
    "skybook_search_cache_lookups_total",
    "skybook_bookings_total",
    "skybook_saga_compensations_total",
    "skybook_inventory_active_holds",
    "nodejs_eventloop_lag_p99_seconds",
    "skybook_inventory_sweeper_reaped_total",
    "skybook_saga_recoveries_total",
    "skybook_upstream_circuit_state",
    "skybook_upstream_circuit_refused_calls_total",
  ]) {
    t.ok(all.includes(family), family);
  }
});

t.test("Prometheus scrapes every service's /metrics under the service's name", async (t) => {
  const config = parse(readFileSync(projectPath("observability/prometheus/prometheus.yml"), "utf8")) as {
    scrape_configs: { job_name: string; metrics_path?: string; static_configs: { targets: string[] }[] }[];
  };
  const compose = parse(readFileSync(projectPath("docker-compose.yml"), "utf8"), { merge: true }) as {
    services: Record<string, { command?: string[]; profiles?: string[]; environment?: Record<string, string> }>;
  };
  const jobs = Object.fromEntries(config.scrape_configs.map((c) => [c.job_name, c]));
  for (const { name } of SERVICES) {
    const job = jobs[name];
    t.ok(job, `${name} is scraped`);
    t.equal(job?.metrics_path ?? "/metrics", "/metrics");
    const port =
      compose.services[name]?.environment?.[
        {
          "flight-svc": "FLIGHT_PORT",
          "booking-svc": "BOOKING_PORT",
          "payment-mock": "PAYMENT_PORT",
          "user-svc": "USER_PORT",
        }[name] as string
      ];
    t.same(job?.static_configs[0]?.targets, [`${name}:${port}`]);
  }
  t.same(compose.services.prometheus?.profiles, ["observability"]);
  t.same(compose.services.grafana?.profiles, ["observability"]);
  t.equal(
    compose.services.grafana?.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH,
    "/var/lib/grafana/dashboards/skybook.json",
    "Grafana opens on the dashboard",
  );
});
