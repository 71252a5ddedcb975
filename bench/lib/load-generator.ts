// The load generator of bench/system.bench.ts, a process of its own so that it never shares an
// event loop with a server: `load-generator.ts load|burst SPEC_JSON`. For a load it runs
// autocannon for the warm-up, prints "measuring", runs it again for the measured seconds and
// prints the figures as one JSON line; for a burst it sends `count` requests at once, each on
// its own connection, and prints how long until the last answer and the statuses.
import autocannon from "autocannon";
import { Agent, request } from "undici";
import {
  type BurstFigures,
  type BurstSpec,
  bookingRequest,
  type LoadFigures,
  type LoadSpec,
  type Requests,
} from "./load-spec.js";

function requestsOf(r: Requests): autocannon.Request[] {
  if (r.kind === "fixed") {
    return [
      {
        method: r.method,
        ...(r.body === undefined
          ? {}
          : { body: JSON.stringify(r.body), headers: { "content-type": "application/json" } }),
      },
    ];
  }
  let n = 0;
  return [
    {
      method: "POST",
      setupRequest: (req) => {
        const { body, headers } = bookingRequest(r, n++);
        return { ...req, body: JSON.stringify(body), headers };
      },
    },
  ];
}

async function load(spec: LoadSpec): Promise<LoadFigures> {
  const requests = requestsOf(spec.requests);
  const opts = { url: spec.url, connections: spec.connections, requests };
  if (spec.warmupSeconds > 0) await autocannon({ ...opts, duration: spec.warmupSeconds });
  process.stdout.write("measuring\n");
  const r = await autocannon({ ...opts, duration: spec.seconds });
  return {
    requestsPerSec: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

async function burst(spec: BurstSpec): Promise<BurstFigures> {
  const dispatcher = new Agent({ connections: spec.count, pipelining: 0 });
  const prepared = Array.from({ length: spec.count }, (_, n) => bookingRequest(spec.requests, n));
  const statuses: Record<string, number> = {};
  const start = performance.now();
  await Promise.all(
    prepared.map(async ({ body, headers }) => {
      let key: string;
      try {
        const r = await request(spec.url, { method: "POST", body: JSON.stringify(body), headers, dispatcher });
        await r.body.dump();
        key = String(r.statusCode);
      } catch {
        key = "error";
      }
      statuses[key] = (statuses[key] ?? 0) + 1;
    }),
  );
  const ms = performance.now() - start;
  await dispatcher.close();
  return { ms, statuses };
}

const [mode, json] = process.argv.slice(2);
const result = mode === "burst" ? await burst(JSON.parse(json as string)) : await load(JSON.parse(json as string));
process.stdout.write(`${JSON.stringify(result)}\n`);
