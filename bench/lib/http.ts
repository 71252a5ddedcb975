import autocannon from "autocannon";
import Fastify from "fastify";

export interface LoadResult {
  requestsPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

/** Runs autocannon against one URL (or a request list) and keeps the figures the benches print. */
export async function load(opts: autocannon.Options): Promise<LoadResult> {
  const r = await autocannon({ connections: 50, duration: 5, ...opts });
  return {
    requestsPerSec: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

/** A bare Fastify route answering `body`: the baseline every HTTP figure is compared with. */
export async function startBareRoute(
  body: unknown,
  method: "GET" | "POST" = "GET",
): Promise<{ url: string; close: () => Promise<void> }> {
  const app = Fastify({ logger: false });
  app.route({ method, url: "/bare", handler: async () => body });
  const address = await app.listen({ host: "127.0.0.1", port: 0 });
  return { url: `${address}/bare`, close: () => app.close() };
}

export function formatLoad(name: string, r: LoadResult): string {
  return `${name.padEnd(44)} ${String(r.requestsPerSec).padStart(8)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  non-2xx ${r.non2xx}  errors ${r.errors}`;
}

export function ratio(a: number, b: number): string {
  return b === 0 ? "n/a" : `${((a / b) * 100).toFixed(0)}%`;
}

let sequence = 0;

/**
 * autocannon options for POSTs that all differ: `body` (and `headers`) are built for every
 * request from a number that never repeats within the process, so no two requests collide on
 * an id or an Idempotency-Key, across phases too.
 */
export function distinctPosts(
  url: string,
  body: (i: number) => unknown,
  headers?: (i: number) => Record<string, string>,
): autocannon.Options {
  return {
    url,
    requests: [
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        setupRequest: (req) => {
          const i = ++sequence;
          req.body = JSON.stringify(body(i));
          if (headers) req.headers = { ...req.headers, ...headers(i) };
          return req;
        },
      },
    ],
  };
}
