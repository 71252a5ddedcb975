// The load generator of bench/system.bench.ts, a process of its own so that it never shares an
// event loop with a server: `load-generator.ts load|pair|burst SPEC_JSON`. For a load it runs
// autocannon for the warm-up, prints "measuring", runs it again for the measured seconds and
// prints the figures as one JSON line; a pair is two loads (a JSON array of two specs) run side
// by side in both phases, their figures an array; for a burst it sends `count` requests at
// once, each on its own connection, and prints how long until the last answer and the statuses.
import autocannon from "autocannon";
import { burst } from "./burst.js";
import { bookingRequest, type LoadFigures, type LoadSpec, type Requests } from "./load-spec.js";

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

const optionsOf = (spec: LoadSpec) => ({
  url: spec.url,
  connections: spec.connections,
  requests: requestsOf(spec.requests),
});

function figuresOf(r: autocannon.Result): LoadFigures {
  return {
    requestsPerSec: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

/**
 * The loads of `specs` at the same time (one for a plain load, two for a pair): warm-up, then
 * "measuring", then the measured seconds, all specs started together in each phase.
 */
async function load(specs: LoadSpec[]): Promise<LoadFigures[]> {
  const warmups = specs.filter((s) => s.warmupSeconds > 0);
  await Promise.all(warmups.map((s) => autocannon({ ...optionsOf(s), duration: s.warmupSeconds })));
  process.stdout.write("measuring\n");
  const results = await Promise.all(specs.map((s) => autocannon({ ...optionsOf(s), duration: s.seconds })));
  return results.map(figuresOf);
}

const [mode, json] = process.argv.slice(2);
const parsed = JSON.parse(json as string);
const result =
  mode === "burst"
    ? await burst(parsed)
    : mode === "pair"
      ? await load(parsed)
      : ((await load([parsed])) as [LoadFigures])[0];
process.stdout.write(`${JSON.stringify(result)}\n`);
