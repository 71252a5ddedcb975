// `npx tsx bench/profile-top.ts [--top N] [--skip SECONDS] FILE.cpuprofile…`: where a V8 CPU profile (node
// --cpu-prof, as the system bench writes them with BENCH_CPU_PROF_DIR) spent its time, by self
// time: the top functions, then the same time summed by where the code lives (a package in
// node_modules, a project directory, Node's internals, garbage collection, idle). Enough to
// see what a hot path costs without opening the profiles in a browser. --skip leaves out the
// first seconds (start-up: module loading, flight-svc reading its timetable).
import { readFileSync } from "node:fs";
import { basename } from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a function lives: its package, its project directory, or what V8 calls it. */
function placeOf(url: string, functionName: string): string {
  if (!url) return `(${functionName.replace(/[()]/g, "") || "native"})`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] as string;
  if (url.startsWith("node:")) return "node internals";
  const own = /\/dist\/([^/]+)\//.exec(url) ?? /\/(lib|booking-svc|flight-svc|payment-mock|user-svc)\//.exec(url);
  return own ? (own[1] as string) : url;
}

const PROJECT = new Set(["lib", "contracts", "booking-svc", "flight-svc", "payment-mock", "user-svc"]);

const nameOf = ({ functionName, url, lineNumber }: ProfileNode["callFrame"]): string =>
  `${functionName || "(anonymous)"} ${url ? `${url.replace(/^.*\/(node_modules|dist)\//, "")}:${lineNumber + 1}` : ""}`;

/**
 * Self time in ms by function (name, file, line) and by place, and the time of the project's
 * own functions with everything they call in libraries and Node (the nearest project frame on
 * each sample's stack), largest first, with the total.
 */
function selfTimes(p: Profile, skipMs = 0) {
  const byNode = new Map<number, number>();
  let at = 0;
  p.samples.forEach((id, i) => {
    const ms = (p.timeDeltas[i] ?? 0) / 1000;
    at += ms;
    if (at >= skipMs) byNode.set(id, (byNode.get(id) ?? 0) + ms);
  });
  const parent = new Map<number, ProfileNode>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n);
  const ownCaller = (n: ProfileNode): string | null => {
    for (let at: ProfileNode | undefined = n; at; at = parent.get(at.id)) {
      if (PROJECT.has(placeOf(at.callFrame.url, at.callFrame.functionName))) return nameOf(at.callFrame);
    }
    return null;
  };
  const fns = new Map<string, number>();
  const places = new Map<string, number>();
  const own = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, ms: number) => m.set(k, (m.get(k) ?? 0) + ms);
  let total = 0;
  for (const n of p.nodes) {
    const ms = byNode.get(n.id) ?? 0;
    if (ms === 0) continue;
    const place = placeOf(n.callFrame.url, n.callFrame.functionName);
    add(fns, nameOf(n.callFrame), ms);
    add(places, place, ms);
    if (!place.startsWith("(")) add(own, ownCaller(n) ?? `(no project frame: ${place})`, ms);
    total += ms;
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return { total, functions: sorted(fns), places: sorted(places), own: sorted(own) };
}

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const [, value] = args.splice(at, 2);
  return Number(value);
};
const top = option("--top", 25);
const skip = option("--skip", 0);
if (args.length === 0 || !Number.isInteger(top) || top < 1 || !(skip >= 0)) {
  console.error("usage: npx tsx bench/profile-top.ts [--top N] [--skip SECONDS] FILE.cpuprofile…");
  process.exit(2);
}
for (const file of args) {
  const t = selfTimes(JSON.parse(readFileSync(file, "utf8")) as Profile, skip * 1000);
  const busy = t.total - (t.places.find(([p]) => p === "(idle)")?.[1] ?? 0);
  const pct = (ms: number) => `${((100 * ms) / busy).toFixed(1).padStart(5)} %`;
  console.log(`\n${basename(file)}: ${(t.total / 1000).toFixed(1)} s sampled, ${(busy / 1000).toFixed(1)} s not idle`);
  console.log("  by place (share of the time not idle):");
  for (const [place, ms] of t.places.filter(([p]) => p !== "(idle)").slice(0, 12)) {
    console.log(`    ${pct(ms)}  ${place}`);
  }
  console.log(`  top ${top} functions by self time:`);
  for (const [fn, ms] of t.functions.filter(([f]) => !f.startsWith("(idle)")).slice(0, top)) {
    console.log(`    ${pct(ms)}  ${fn}`);
  }
  console.log(`  top ${top} project functions with the library and Node code under them:`);
  for (const [fn, ms] of t.own.slice(0, top)) console.log(`    ${pct(ms)}  ${fn}`);
}
