import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

declare module "fastify" {
  interface FastifyInstance {
    /** This app's Prometheus registry: domain plugins add their families here. */
    metrics: Registry;
  }
}

// Event-loop lag, heap and GC belong to the process, not to one app: tests and benches build
// several apps in one process, and each app's /metrics shows the same process families.
let processRegistry: Registry | null = null;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** A counter whose value is read from a counter the code already keeps, at scrape time. */
export function counterFrom(registry: Registry, name: string, help: string, read: () => number): void {
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}

/** The same with one label, e.g. outcome: every key of `read()` becomes a series. */
export function labelledCounterFrom(
  registry: Registry,
  name: string,
  help: string,
  label: string,
  read: () => Record<string, number>,
): void {
  new Counter({
    name,
    help,
    labelNames: [label],
    registers: [registry],
    collect() {
      this.reset();
      for (const [value, n] of Object.entries(read())) this.inc({ [label]: value }, n);
    },
  });
}

/** A gauge read at scrape time (async reads of Redis or PostgreSQL included). */
export function gaugeFrom(registry: Registry, name: string, help: string, read: () => number | Promise<number>): void {
  new Gauge({
    name,
    help,
    registers: [registry],
    async collect() {
      this.set(await read());
    },
  });
}

/** Per-status-class label: keeps the series few while still separating errors from successes. */
const statusClass = (code: number) => `${Math.floor(code / 100)}xx`;

function httpMetrics(app: FastifyInstance, registry: Registry): void {
  const labelNames = ["method", "route", "status_class"] as const;
  const requests = new Counter({
    name: "http_requests_total",
    help: "Requests answered, by route template, method and status class.",
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "http_request_duration_seconds",
    help: "Time from the request's arrival to its response, by route template, method and status class.",
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  // Labelled children cached by key: prom-client hashes the label object on every call otherwise.
  const series = new Map<string, { count: Counter.Internal; time: Histogram.Internal<string> }>();
  app.addHook("onResponse", (request, reply, done) => {
    // The template (/api/flights/:id), never the raw URL: ids would make a series each.
    const route = request.routeOptions.url ?? "unmatched";
    const cls = statusClass(reply.statusCode);
    const key = `${request.method} ${route} ${cls}`;
    let s = series.get(key);
    if (!s) {
      const labels = { method: request.method, route, status_class: cls };
      s = { count: requests.labels(labels), time: duration.labels(labels) };
      series.set(key, s);
    }
    s.count.inc();
    s.time.observe(reply.elapsedTime / 1000);
    done();
  });
}

const MetricsText = { type: "string", description: "Prometheus text exposition format 0.0.4." } as const;

/** GET /metrics in Prometheus' text format; per-route request counts and latency. */
export const metricsPlugin = fp<{ expose: boolean }>(
  async (app, { expose }) => {
    const registry = new Registry();
    app.decorate("metrics", registry);
    if (!expose) return;
    const proc = processMetrics();
    httpMetrics(app, registry);
    app.get(
      "/metrics",
      {
        schema: {
          summary: "Prometheus metrics",
          produces: ["text/plain"],
          response: { 200: MetricsText },
        },
        logLevel: "warn",
      },
      async (_request, reply) => {
        const [own, process] = await Promise.all([registry.metrics(), proc.metrics()]);
        return reply.type(registry.contentType).send(`${own}\n${process}`);
      },
    );
  },
  { name: "metrics" },
);
