import cluster from "node:cluster";
import type { Server } from "node:http";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { type Aggregator, Counter, collectDefaultMetrics, Gauge, type Metric, Registry } from "prom-client";
import { isStream } from "./streams.js";
import { within } from "./within.js";
import { workerScrape } from "./worker-metrics.js";

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

/**
 * A gauge read at scrape time (async reads of Redis or PostgreSQL included). `aggregator` merges
 * the workers' values when a service runs several (lib/worker-metrics.ts): "max" for a value every
 * worker reads alike from shared state, which a sum would multiply by the number of workers.
 */
export function gaugeFrom(
  registry: Registry,
  name: string,
  help: string,
  aggregator: Aggregator,
  read: () => number | Promise<number>,
): void {
  new Gauge({
    name,
    help,
    aggregator,
    registers: [registry],
    async collect() {
      this.set(await readWithin(read));
    },
  });
}

// A store that is down or stalled must not cost the scrape its other families (a failed collect
// fails the whole registry, and a worker's part is waited for 2 s, lib/worker-metrics.ts).
const GAUGE_READ_MS = 1_000;

/** `read`'s value, or NaN (unknown) when it fails or takes longer than GAUGE_READ_MS. */
async function readWithin(read: () => number | Promise<number>): Promise<number> {
  return within(Promise.resolve().then(read), GAUGE_READ_MS, Number.NaN).catch(() => Number.NaN);
}

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const STATUS_CLASSES = ["1xx", "2xx", "3xx", "4xx", "5xx"];

interface Series {
  /** Observations per bucket (the last one: above every bound), made cumulative when read. */
  counts: number[];
  sum: number;
  count: number;
  /** Streams ended (SSE, WebSocket): requests, but not in the latency histogram. */
  streams: number;
}

/**
 * Requests by route template, method and status class, and their latency. Kept in plain arrays
 * and turned into Prometheus families only when scraped: prom-client's labelled observe hashes
 * the labels on every call, which cost the cached search about a tenth of its throughput.
 */
class HttpRequestMetrics {
  // route → method → status class index → series
  private readonly series = new Map<string, Map<string, (Series | undefined)[]>>();

  record(route: string, method: string, statusCode: number, seconds: number): void {
    const s = this.seriesOf(route, method, statusCode);
    let i = 0;
    while (i < BUCKETS.length && seconds > (BUCKETS[i] as number)) i++;
    s.counts[i] = (s.counts[i] as number) + 1;
    s.sum += seconds;
    s.count++;
  }

  recordStream(route: string, method: string, statusCode: number): void {
    this.seriesOf(route, method, statusCode).streams++;
  }

  private seriesOf(route: string, method: string, statusCode: number): Series {
    let byMethod = this.series.get(route);
    if (!byMethod) {
      byMethod = new Map();
      this.series.set(route, byMethod);
    }
    let byClass = byMethod.get(method);
    if (!byClass) {
      byClass = [];
      byMethod.set(method, byClass);
    }
    const cls = Math.min(4, Math.max(0, Math.floor(statusCode / 100) - 1));
    let s = byClass[cls];
    if (!s) {
      s = { counts: new Array(BUCKETS.length + 1).fill(0), sum: 0, count: 0, streams: 0 };
      byClass[cls] = s;
    }
    return s;
  }

  *each(): Generator<[Record<string, string>, Series]> {
    for (const [route, byMethod] of this.series) {
      for (const [method, byClass] of byMethod) {
        for (const [i, s] of byClass.entries()) {
          if (s) yield [{ method, route, status_class: STATUS_CLASSES[i] as string }, s];
        }
      }
    }
  }
}

// The router's and the HTTP parser's refusals (framework-errors.ts) and the streams that take
// over the response are answered where no onResponse hook runs. By the HTTP server: a route's
// plugin has an instance of its own, the server is the app's.
const appHttpMetrics = new WeakMap<Server, HttpRequestMetrics>();

/** Counts a request the router refused before any route ran: under no route, as a 404 is. */
export function countRouterRefusal(request: FastifyRequest, reply: FastifyReply, status: number): void {
  appHttpMetrics.get(request.server.server)?.record("unmatched", request.method, status, reply.elapsedTime / 1000);
}

/**
 * Counts a request the HTTP parser refused (framework-errors.ts clientError): no request was
 * made of it, so no route and no method are known.
 */
export function countParserRefusal(app: FastifyInstance, status: number): void {
  appHttpMetrics.get(app.server)?.record("unmatched", "unknown", status, 0);
}

/** Counts a request answered outside Fastify after its route took it over (a refused WebSocket handshake). */
export function countAnsweredAside(reply: FastifyReply, status: number): void {
  const { request } = reply;
  appHttpMetrics
    .get(request.server.server)
    ?.record(request.routeOptions.url ?? "unmatched", request.method, status, reply.elapsedTime / 1000);
}

/**
 * Counts a stream that took over its response (an SSE stream, a WebSocket) once it ends: in
 * http_requests_total, not in the latency histogram, where an hour-long stream would read as an
 * hour-long request.
 */
export function countStream(request: FastifyRequest, status: number): void {
  appHttpMetrics
    .get(request.server.server)
    ?.recordStream(request.routeOptions.url ?? "unmatched", request.method, status);
}

function httpMetrics(app: FastifyInstance, registry: Registry): void {
  const http = new HttpRequestMetrics();
  appHttpMetrics.set(app.server, http);
  const requests = "http_requests_total";
  const duration = "http_request_duration_seconds";
  registry.registerMetric({
    name: requests,
    get: () => ({
      name: requests,
      help: "Requests answered, by route template, method and status class.",
      type: "counter",
      aggregator: "sum",
      values: [...http.each()].map(([labels, s]) => ({ labels, value: s.count + s.streams })),
    }),
  } as unknown as Metric);
  registry.registerMetric({
    name: duration,
    get: () => {
      const values: { metricName: string; labels: Record<string, string | number>; value: number }[] = [];
      for (const [labels, s] of http.each()) {
        if (s.count === 0) continue;
        let cumulative = 0;
        for (const [i, bound] of [...BUCKETS, Number.POSITIVE_INFINITY].entries()) {
          cumulative += s.counts[i] as number;
          const le = bound === Number.POSITIVE_INFINITY ? "+Inf" : bound;
          values.push({ metricName: `${duration}_bucket`, labels: { ...labels, le }, value: cumulative });
        }
        values.push({ metricName: `${duration}_sum`, labels, value: s.sum });
        values.push({ metricName: `${duration}_count`, labels, value: s.count });
      }
      return {
        name: duration,
        help: "Time from the request's arrival to its response, by route template, method and status class.",
        type: "histogram",
        aggregator: "sum",
        values,
      };
    },
  } as unknown as Metric);
  app.addHook("onResponse", (request, reply, done) => {
    if (isStream(request)) return done();
    // The template (/api/flights/:id), never the raw URL: ids would make a series each.
    http.record(request.routeOptions.url ?? "unmatched", request.method, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}

const MetricsText = { type: "string", description: "Prometheus text exposition format 0.0.4." } as const;

/**
 * GET /metrics in Prometheus' text format; per-route request counts and latency. In a worker of
 * several, the answer is every worker's families merged by the primary (lib/worker-metrics.ts);
 * a single process reads its own registries, with no message passing.
 */
export const metricsPlugin = fp<{ expose: boolean }>(
  async (app, { expose }) => {
    const registry = new Registry();
    app.decorate("metrics", registry);
    if (!expose) return;
    const proc = processMetrics();
    httpMetrics(app, registry);
    const allWorkers = cluster.isWorker
      ? workerScrape(async () => (await Promise.all([registry.getMetricsAsJSON(), proc.getMetricsAsJSON()])).flat())
      : null;
    app.get(
      "/metrics",
      {
        config: { access: "anyone" },
        schema: {
          summary: "Prometheus metrics",
          produces: ["text/plain"],
          response: { 200: MetricsText },
        },
        logLevel: "warn",
      },
      async (_request, reply) => {
        if (allWorkers) return reply.type(registry.contentType).send(await allWorkers());
        const [own, process] = await Promise.all([registry.metrics(), proc.metrics()]);
        return reply.type(registry.contentType).send(`${own}\n${process}`);
      },
    );
  },
  { name: "metrics" },
);
