// make stress-test: runs the scenarios against the configured services, prints the report,
// writes it as JSON and HTML, and exits non-zero when an invariant failed.
import { randomInt } from "node:crypto";
import { ConfigError } from "../lib/config-parse.js";
import { projectPath } from "../lib/paths.js";
import { AccountError } from "./accounts.js";
import { checkSloTargets, parseCli, USAGE, UsageError } from "./args.js";
import { loadStressConfig } from "./config.js";
import { DriftBeforeRun } from "./invariants/before-run.js";
import { renderTerminal } from "./report/terminal.js";
import { prepareReportDir, writeReports } from "./report/write.js";
import { runStress, SystemUnreachable } from "./run.js";
import { CLUSTER_SCENARIOS, NAMED_ONLY, SCENARIOS, scenarioNamed } from "./scenarios/index.js";
import type { Scenario } from "./scenarios/types.js";
import { ClusterControls, clusterUpLayout } from "./topology/cluster-controls.js";

async function main(): Promise<number> {
  const args = parseCli(
    process.argv.slice(2),
    [...SCENARIOS, ...NAMED_ONLY, ...CLUSTER_SCENARIOS].map((s) => s.name),
    CLUSTER_SCENARIOS.map((s) => s.name),
  );
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (args.list) {
    for (const s of [...SCENARIOS, ...CLUSTER_SCENARIOS]) {
      console.log(
        `${s.name.padEnd(18)} ${s.defaults.durationSeconds} s, ${s.defaults.connections} connections, ${s.targets.join(" + ")}: ${s.description}`,
      );
    }
    for (const s of NAMED_ONLY) {
      console.log(
        `${s.name.padEnd(18)} ${s.defaults.durationSeconds} s, ${s.defaults.connections} connections, ${s.targets.join(" + ")} (only when named): ${s.description}`,
      );
    }
    return 0;
  }
  const cluster = args.topology === "cluster";
  const chosen = args.scenarios.length
    ? args.scenarios.map((n) => scenarioNamed(n) as Scenario)
    : [...SCENARIOS, ...(cluster ? CLUSTER_SCENARIOS : [])];
  checkSloTargets(args.slos, chosen);
  const out = args.out ?? projectPath("stress", "reports");
  await prepareReportDir(out).catch((err: Error) => {
    throw new UsageError(`--out ${out}: cannot write reports there (${err.message})`);
  });
  const config = loadStressConfig();
  if (args.check) return 0;
  // scripts/stress.sh makes an admin after --check when it starts the system itself.
  if (!config.stress.adminUsername || !config.stress.adminPassword) {
    throw new ConfigError([
      "STRESS_ADMIN_USERNAME and STRESS_ADMIN_PASSWORD: expected an admin account for flights and payment config " +
        '(make user ARGS="--username NAME --password PW --role admin")',
    ]);
  }
  if (cluster && config.redisClusterNodes.length === 0) {
    throw new ConfigError(["REDIS_CLUSTER_NODES: --topology cluster reads the seat counters on the cluster's nodes"]);
  }
  // With --json, stdout carries the JSON alone; everything else goes to stderr.
  const say = (line: string) => (args.json ? process.stderr : process.stdout).write(`${line}\n`);
  const seed = args.seed ?? randomInt(0, 2 ** 31 - 1);
  // Ctrl-C or SIGTERM: the run stops, restores payment-mock's config and reports what finished;
  // a second one ends the process at once.
  const interrupted = new Promise<string>((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.on(signal, () => {
        if (stopping) process.exit(signal === "SIGINT" ? 130 : 143);
        stopping = signal;
        process.stderr.write(`\nstress: ${signal}: stopping (again to end at once)\n`);
        resolve(signal);
      });
    }
  });
  const report = await runStress({
    scenarios: chosen,
    durationSeconds: args.durationSeconds,
    connections: args.connections,
    requests: args.requests,
    seed,
    slos: args.slos,
    urls: {
      flight: config.stress.flightUrl,
      booking: config.stress.bookingUrl,
      payment: config.stress.paymentUrl,
      user: config.stress.userUrl,
    },
    admin: { username: config.stress.adminUsername, password: config.stress.adminPassword },
    serviceSecret: config.stress.serviceSecret,
    redisUrl: config.redisUrl,
    redisClusterNodes: config.redisClusterNodes,
    cluster: cluster
      ? new ClusterControls(
          clusterUpLayout(config.stress.clusterRunDir, config.redisClusterNodes, config.stress.clusterInstancePort),
        )
      : null,
    flightsDatabaseUrl: config.flightsDatabaseUrl,
    bookingsDatabaseUrl: config.bookingsDatabaseUrl,
    timeoutSeconds: config.stress.requestTimeoutSeconds,
    settleTimeoutSeconds: config.stress.settleTimeoutSeconds,
    progress: process.stderr,
    log: say,
    interrupted,
  });
  const paths = await writeReports(report, out);
  if (args.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else say(renderTerminal(report, process.stdout.isTTY === true));
  say(`report: ${paths.html}\n        ${paths.json}`);
  if (report.interrupted) return report.interrupted.signal === "SIGINT" ? 130 : 143;
  return report.ok && report.sloOk ? 0 : 1;
}

let stopping: string | null = null;

// 1 is the run's own failure; drift found before any load is not (3), nor a bad start (2).
function exitCodeOf(err: unknown): number {
  if (err instanceof DriftBeforeRun) return 3;
  const badStart =
    err instanceof UsageError ||
    err instanceof ConfigError ||
    err instanceof SystemUnreachable ||
    err instanceof AccountError;
  return badStart || !(err instanceof Error) ? 2 : 1;
}

main().then(
  (code) => {
    // An interrupted scenario's load still holds the event loop: end here.
    if (stopping) process.exit(code);
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) process.stderr.write(`stress: ${err.message}\n\n${USAGE}\n`);
    else if (
      err instanceof ConfigError ||
      err instanceof SystemUnreachable ||
      err instanceof AccountError ||
      err instanceof DriftBeforeRun
    ) {
      process.stderr.write(`stress: ${err.message}\n`);
    } else process.stderr.write(`stress: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = exitCodeOf(err);
  },
);
