// make chaos (scripts/chaos.sh): the services as separate processes under their supervisors,
// booking load as real customers with tokens, and faults — PostgreSQL stopped, Redis killed or
// flushed, a service killed —
// each run ending with the wait until everything settled and every invariant checked. Prints a
// line per run and a table per fault, writes the results as JSON, exits 1 if any run failed.
import { randomInt } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { joinNegativeValues } from "../../lib/cli-args.js";
import { createSql } from "../../lib/postgres-plugin.js";
import { closeRedis, createRedis } from "../../lib/redis-plugin.js";
import { signIn } from "../accounts.js";
import { loadStressConfig } from "../config.js";
import { haltLoad } from "../load/run-load.js";
import { Services } from "../services.js";
import { repairEarlierDrift } from "./earlier-drift.js";
import { type Controls, faultCatalogue } from "./faults.js";
import { LocalSystem } from "./local-system.js";
import { runLine, summaryTable } from "./report.js";
import { type FaultRunResult, runFault } from "./run-fault.js";

// Customers the load books as, registered once for all runs: as many as the default clients.
const CUSTOMERS = 32;

const USAGE = `usage: make chaos ARGS="[options]"   (or scripts/chaos.sh [options])

  --fault NAME[,NAME]   faults to inject, in this order (repeatable; default: all, see --list)
  --repeat N            runs of each fault (default 1)
  --connections N       concurrent booking clients (default 32)
  --fault-at SECONDS    load before the fault (default 8)
  --after SECONDS       load after the repair (default and least 10: the window bookings
                        must be confirmed again in)
  --settle-limit S      most seconds from a fault until everything settled (default 70)
  --seed N              seed of the first run (default: random, printed)
  --list                list the faults and exit
  --check               check the flags and exit (scripts/chaos.sh does, before it starts anything)
  --help                this text
  (--run-dir DIR        where service logs and PID files go; scripts/chaos.sh passes it)`;

class UsageError extends Error {
  override name = "UsageError";
}

function integer(flag: string, v: string | undefined, def: number, min: number, max: number): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min || n > max)
    throw new UsageError(`--${flag} ${v}: expected an integer from ${min} to ${max}`);
  return n;
}

/** How soon after the repair a booking must be confirmed again. */
const RECOVER_LIMIT_SECONDS = 10;

const positive = (flag: string, v: string | undefined, def: number, max: number) => integer(flag, v, def, 1, max);

// The faults' names and descriptions, for --list and --check: nothing is called before a run.
const FAULT_NAMES = faultCatalogue({} as Controls).map((f) => f.name);

const OPTIONS = {
  fault: { type: "string", multiple: true },
  repeat: { type: "string" },
  connections: { type: "string" },
  "fault-at": { type: "string" },
  after: { type: "string" },
  "settle-limit": { type: "string" },
  seed: { type: "string" },
  "run-dir": { type: "string" },
  list: { type: "boolean" },
  check: { type: "boolean" },
  help: { type: "boolean" },
} as const;

/** The flags; unknown ones, stray words, bad numbers and unknown faults are UsageErrors. */
function parseChaosArgs(argv: string[]) {
  const { values } = (() => {
    try {
      return parseArgs({ args: joinNegativeValues(argv, OPTIONS), strict: true, options: OPTIONS });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  })();
  const faults = (values.fault ?? []).flatMap((f) => f.split(",")).filter(Boolean);
  // `--fault ,` names none: read as "all", it would run every fault unasked.
  if (values.fault !== undefined && faults.length === 0) {
    throw new UsageError(`--fault ${values.fault.join(",")}: names no fault (see --list)`);
  }
  const unknown = faults.filter((n) => !FAULT_NAMES.includes(n));
  if (unknown.length) throw new UsageError(`--fault ${unknown.join(",")}: expected one of ${FAULT_NAMES.join(", ")}`);
  return {
    faults,
    repeat: positive("repeat", values.repeat, 1, 1_000),
    connections: positive("connections", values.connections, 32, 1_000),
    faultAt: positive("fault-at", values["fault-at"], 8, 600),
    // Less load after the repair than the recovery window would fail a run for its load's end.
    after: integer("after", values.after, RECOVER_LIMIT_SECONDS, RECOVER_LIMIT_SECONDS, 600),
    settleLimit: positive("settle-limit", values["settle-limit"], 70, 3_600),
    // The printed seed of a run (0 included) replays it.
    seed: values.seed === undefined ? randomInt(0, 2 ** 30) : integer("seed", values.seed, 0, 0, 2 ** 30 - 1),
    runDir: values["run-dir"],
    list: values.list ?? false,
    check: values.check ?? false,
    help: values.help ?? false,
  };
}

async function main(): Promise<number> {
  const args = parseChaosArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (args.list) {
    for (const f of faultCatalogue({} as Controls)) console.log(`${f.name.padEnd(12)} ${f.description}`);
    return 0;
  }
  if (args.check) return 0;
  const config = loadStressConfig();
  const redis = createRedis(config.redisUrl);
  redis.on("error", () => {});
  const flightsSql = createSql(config.flightsDatabaseUrl, 4);
  const bookingsSql = createSql(config.bookingsDatabaseUrl, 4);
  const system = new LocalSystem(args.runDir ?? ".run/chaos", redis, config.flightsDatabaseUrl, {
    "flight-svc": config.stress.flightUrl,
    "booking-svc": config.stress.bookingUrl,
    "payment-mock": config.stress.paymentUrl,
    "user-svc": config.stress.userUrl,
  });
  const catalogue = faultCatalogue(system);
  const close = () => Promise.all([closeRedis(redis), flightsSql.end({ timeout: 5 }), bookingsSql.end({ timeout: 5 })]);
  const chosen = args.faults.length ? args.faults.map((n) => catalogue.find((f) => f.name === n)!) : catalogue;
  const services = new Services({
    flight: config.stress.flightUrl,
    booking: config.stress.bookingUrl,
    payment: config.stress.paymentUrl,
    user: config.stress.userUrl,
  });
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const ready = async () => {
    for (let i = 0; i < 600; i++) {
      const down = await Promise.all(
        [services.flight, services.booking, services.payment, services.user].map((c) =>
          c.call("GET", "/ready").then(
            (r) => r.status !== 200,
            () => true,
          ),
        ),
      );
      if (!down.some(Boolean)) return;
      const stopped = system.stoppedSupervisors();
      if (stopped.length) throw new Error(`supervisor of ${stopped.join(", ")} exited; see its log`);
      await sleep(100);
    }
    throw new Error("the services did not become ready within 60 s");
  };

  const results: FaultRunResult[] = [];
  say(
    `chaos: seed ${args.seed}; ${chosen.length} fault(s) × ${args.repeat}; logs in ${args.runDir ?? ".run/chaos"}/logs`,
  );
  // The table and the JSON of the runs that ended (interrupted: the run under way is left out).
  const writeReport = async (done: FaultRunResult[], interrupted?: string) => {
    say(`\n${summaryTable(done)}`);
    if (interrupted) say(`interrupted (${interrupted}): only the ${done.length} run(s) that ended are reported`);
    const dir = join(args.runDir ?? ".run/chaos", "reports");
    await mkdir(dir, { recursive: true });
    const file = join(dir, `chaos-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
    const body = { seed: args.seed, results: done, ...(interrupted ? { interrupted } : {}) };
    await writeFile(file, `${JSON.stringify(body, null, 2)}\n`);
    say(`report: ${file}`);
  };
  // Ctrl-C or SIGTERM: the load stops, the services are stopped (their supervisors would outlive
  // this process), the runs that ended are reported; exit 130 or 143. A second one ends at once.
  let stopping: string | null = null;
  let signedIn: { stop(): void; check(): void } | null = null;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      const code = signal === "SIGINT" ? 130 : 143;
      if (stopping) process.exit(code);
      stopping = signal;
      process.stderr.write(`\nchaos: ${signal}: stopping the load and the services (again to end at once)\n`);
      haltLoad();
      signedIn?.stop();
      const done = [...results];
      system
        .stopServices()
        .catch(() => {})
        .then(() => writeReport(done, signal))
        .finally(() => process.exit(code));
    });
  }
  await system.startServices();
  try {
    await ready();
    await repairEarlierDrift({ flightsSql, redis }, config, args.settleLimit, say);
    const admin = { username: config.stress.adminUsername, password: config.stress.adminPassword };
    const session = await signIn(services, admin, config.stress.serviceSecret, CUSTOMERS);
    signedIn = session;
    let n = 0;
    for (const fault of chosen) {
      for (let run = 1; run <= args.repeat; run++) {
        session.check();
        say(`▶ ${fault.name} #${run}: ${fault.description}`);
        const marks = await system.logMarks();
        const r = await runFault({
          fault,
          run,
          seed: args.seed + n++,
          connections: args.connections,
          faultAtSeconds: args.faultAt,
          afterSeconds: args.after,
          settleLimitSeconds: args.settleLimit,
          recoverLimitSeconds: RECOVER_LIMIT_SECONDS,
          timeoutSeconds: 10,
          services,
          customers: session.customers,
          flightsSql,
          bookingsSql,
          redis,
          progress: process.stderr,
          log: say,
          ready,
          restarts: () => system.restartsSince(marks),
        });
        results.push(r);
        say(runLine(r));
      }
    }
  } finally {
    signedIn?.stop();
    await system.stopServices();
    await services.close();
    await close();
  }
  await writeReport(results);
  return results.every((r) => r.ok) ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`chaos: ${(err as Error).message}\n${err instanceof UsageError ? `\n${USAGE}\n` : ""}`);
    process.exitCode = 2;
  },
);
