// Rounds of two sides measured back to back, alternating which goes first, so that a drift of
// the shared machine favours neither; and how their figures are printed.
import { formatSpread, pairedRatios, spread } from "./figures.js";
import { type Measured, measure, measurePair } from "./load.js";
import type { LoadSpec } from "./load-spec.js";

export interface Side {
  name: string;
  spec: () => LoadSpec;
  /** CPU seconds used so far by the processes this side measures. */
  cpu: () => number;
  /** CPU seconds used so far by the PostgreSQL and Redis servers, when the comparison counts them. */
  stores?: () => number;
}

export type Runs = { a: Measured[]; b: Measured[] };

function line(name: string, m: Measured): string {
  const stores = Number.isNaN(m.storesCpuUsPerRequest) ? "" : `  stores ${Math.round(m.storesCpuUsPerRequest)} µs/req`;
  return `  ${name.padEnd(46)} ${String(Math.round(m.requestsPerSec)).padStart(7)} req/s  p50 ${m.p50} ms  p99 ${m.p99} ms  cpu ${Math.round(m.cpuUsPerRequest)} µs/req${stores}  non-2xx ${m.non2xx}  errors ${m.errors}`;
}

/** `rounds` rounds of a then b, or b then a in every other round; each round printed as it ends. */
export async function alternate(a: Side, b: Side, rounds: number): Promise<Runs> {
  const out: Runs = { a: [], b: [] };
  for (let r = 0; r < rounds; r++) {
    const order: ["a" | "b", Side][] =
      r % 2 === 0
        ? [
            ["a", a],
            ["b", b],
          ]
        : [
            ["b", b],
            ["a", a],
          ];
    for (const [key, side] of order) {
      const m = await measure(side.spec(), side.cpu, side.stores);
      out[key].push(m);
      console.log(line(`${side.name}, round ${r + 1}`, m));
    }
  }
  return out;
}

/**
 * `rounds` rounds of a and b loaded at the same time, each round's figures paired in time. Which
 * load the generator starts first alternates, so that neither always gets the head start.
 */
export async function sideBySide(a: Side, b: Side, rounds: number): Promise<Runs> {
  const out: Runs = { a: [], b: [] };
  for (let r = 0; r < rounds; r++) {
    const [first, second] = r % 2 === 0 ? [a, b] : [b, a];
    const [m1, m2] = await measurePair([first.spec(), second.spec()], [first.cpu, second.cpu]);
    const [ma, mb] = first === a ? [m1, m2] : [m2, m1];
    out.a.push(ma);
    out.b.push(mb);
    console.log(line(`${a.name}, round ${r + 1}`, ma));
    console.log(line(`${b.name}, round ${r + 1}`, mb));
  }
  return out;
}

/** One side's rounds in a line: medians and ranges of req/s, p99 and CPU per request. */
export function report(label: string, runs: readonly Measured[]): string {
  const of = (f: (m: Measured) => number) => formatSpread(spread(runs.map(f)));
  const stores = runs.some((m) => Number.isNaN(m.storesCpuUsPerRequest))
    ? ""
    : `, PostgreSQL and Redis ${of(storesCpuPerRequest)} µs CPU/req`;
  return `${label}: ${of(rps)} req/s, p99 ${of(p99)} ms, ${of(cpuPerRequest)} µs CPU/req${stores}`;
}

export const rps = (m: Measured) => m.requestsPerSec;
export const p99 = (m: Measured) => m.p99;
export const cpuPerRequest = (m: Measured) => m.cpuUsPerRequest;
export const storesCpuPerRequest = (m: Measured) => m.storesCpuUsPerRequest;
/** The machine's CPU per request: the servers' and the stores'. */
export const machineCpuPerRequest = (m: Measured) => m.cpuUsPerRequest + m.storesCpuUsPerRequest;

/** Round by round, `over`'s figure divided by `under`'s. */
export const ratiosOf = (over: readonly Measured[], under: readonly Measured[], of: (m: Measured) => number) =>
  pairedRatios(over.map(of), under.map(of));
