import { parseArgs } from "node:util";
import { joinNegativeValues } from "../lib/cli-args.js";
import { LATENCY_STATS } from "./report/types.js";
import { TARGETS } from "./scenarios/targets.js";
import { parseSlo, type Slo } from "./slo.js";

export const TOPOLOGIES = ["single", "cluster"] as const;
export type Topology = (typeof TOPOLOGIES)[number];

export interface CliArgs {
  scenarios: string[];
  /** cluster: the `make cluster-up` system; the failover scenario joins the run. */
  topology: Topology;
  durationSeconds?: number;
  connections?: number;
  requests?: number;
  seed?: number;
  slos: Slo[];
  json: boolean;
  out?: string;
  list: boolean;
  help: boolean;
  /** Only check the flags and the settings (scripts/stress.sh does, before it starts anything). */
  check: boolean;
}

export class UsageError extends Error {
  override name = "UsageError";
}

export const USAGE = `usage: make stress-test ARGS="[options]"   (or scripts/stress.sh [options])

  --scenario NAME[,NAME]  run only these scenarios (repeatable; default: all, see --list)
  --topology single|cluster
                          single (default): one Redis, one instance of each service (make up);
                          cluster: the make cluster-up system (started if not running), every
                          scenario plus the failover one
  --duration SECONDS      load time of each scenario (default: each scenario's own)
  --connections N         concurrent connections of each scenario (default: each scenario's own)
  --requests N            a request count per scenario instead of a duration
  --seed N                seed of the generated traffic (default: random, printed)
  --slo [TARGET:]STAT=MS  a latency threshold, e.g. p99=250 or booking:p95=400 (repeatable;
                          STAT p50|p90|p95|p99|max, TARGET search|booking|booking+cancel|
                          check-in|change, one of the run's scenarios' targets);
                          a missed one makes the exit status 1
  --json                  print the report as JSON instead of tables
  --out DIR               where the JSON and HTML reports go (default: stress/reports)
  --list                  list the scenarios and exit
  --check                 check the flags and settings and exit
  --help                  this text

Targets come from STRESS_FLIGHT_URL, STRESS_BOOKING_URL, STRESS_PAYMENT_URL; the invariant
checks read REDIS_URL (REDIS_CLUSTER_NODES on a cluster), FLIGHTS_DATABASE_URL and
BOOKINGS_DATABASE_URL.
Exit status: 0 every invariant and threshold held, 1 an invariant failed, a threshold was missed
or a scenario could not run,
2 bad usage or the system is not reachable, 130/143 stopped by Ctrl-C/SIGTERM (what finished is reported).`;

function positiveInt(flag: string, v: string | undefined, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < 1 || n > max)
    throw new UsageError(`--${flag} ${v}: expected an integer from 1 to ${max}`);
  return n;
}

/**
 * Parses the flags; unknown flags, stray arguments and bad numbers are UsageErrors. `clusterOnly`
 * scenarios need --topology cluster.
 */
export function parseCli(argv: string[], known: readonly string[], clusterOnly: readonly string[] = []): CliArgs {
  let values: ReturnType<typeof parse>["values"];
  try {
    values = parse(argv).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const scenarios = (values.scenario ?? [])
    .flatMap((s) => s.split(","))
    .map((s) => s.trim())
    .filter(Boolean);
  // `--scenario ,,` names none: read as "all", it would run every scenario unasked.
  if (values.scenario !== undefined && scenarios.length === 0) {
    throw new UsageError(`--scenario ${values.scenario.join(",")}: names no scenario (see --list)`);
  }
  // A request count replaces the duration: both given, one would be dropped without a word.
  if (values.duration !== undefined && values.requests !== undefined) {
    throw new UsageError("--duration and --requests: give one of them (a load time, or a request count)");
  }
  const topology = (values.topology ?? "single") as Topology;
  if (!TOPOLOGIES.includes(topology)) {
    throw new UsageError(`--topology ${values.topology}: expected one of ${TOPOLOGIES.join(", ")}`);
  }
  for (const s of scenarios) {
    if (!known.includes(s)) throw new UsageError(`--scenario ${s}: expected one of ${known.join(", ")}`);
    if (topology !== "cluster" && clusterOnly.includes(s)) {
      throw new UsageError(`--scenario ${s}: runs only with --topology cluster`);
    }
  }
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && (!/^\d+$/.test(values.seed ?? "") || seed > 2 ** 31 - 1)) {
    throw new UsageError(`--seed ${values.seed}: expected an integer from 0 to ${2 ** 31 - 1}`);
  }
  const slos = (values.slo ?? [])
    .flatMap((s) => s.split(","))
    .map((text) => {
      const slo = parseSlo(text);
      if (!slo)
        throw new UsageError(
          `--slo ${text}: expected [TARGET:]STAT=MS, e.g. p99=250 or booking:p95=400 (TARGET ${TARGETS.join("|")}; STAT ${LATENCY_STATS.join("|")})`,
        );
      return slo;
    });
  return {
    scenarios: [...new Set(scenarios)],
    topology,
    slos,
    durationSeconds: positiveInt("duration", values.duration, 3_600),
    connections: positiveInt("connections", values.connections, 10_000),
    requests: positiveInt("requests", values.requests, 100_000_000),
    seed,
    json: values.json ?? false,
    out: values.out,
    list: values.list ?? false,
    help: values.help ?? false,
    check: values.check ?? false,
  };
}

/**
 * A threshold on a target none of the chosen scenarios loads would hold nothing: the run would
 * pass it without a word, so it is refused before anything starts.
 */
export function checkSloTargets(
  slos: readonly Slo[],
  scenarios: readonly { name: string; targets: readonly string[] }[],
): void {
  for (const slo of slos) {
    if (slo.target === null || scenarios.some((s) => s.targets.includes(slo.target as string))) continue;
    const runs = scenarios.map((s) => `${s.name} (${s.targets.join(", ")})`).join("; ");
    throw new UsageError(
      `--slo ${slo.target}:${slo.stat}=${slo.maxMs}: no scenario of this run has a ${slo.target} target; it runs ${runs}`,
    );
  }
}

const OPTIONS = {
  scenario: { type: "string", multiple: true, short: "s" },
  topology: { type: "string" },
  duration: { type: "string", short: "d" },
  connections: { type: "string", short: "c" },
  requests: { type: "string", short: "n" },
  seed: { type: "string" },
  slo: { type: "string", multiple: true },
  json: { type: "boolean" },
  out: { type: "string" },
  list: { type: "boolean" },
  check: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

function parse(argv: string[]) {
  return parseArgs({
    args: joinNegativeValues(argv, OPTIONS),
    strict: true,
    allowPositionals: false,
    options: OPTIONS,
  });
}
