// What an operator's mistyped or missing arguments get from the make targets: one line naming the
// problem and the usage, exit code 2, never a stack trace. `make user ARGS=--help` (or an unknown
// option, or --username with no value) crashed in node's argument parser with a stack trace.
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { projectPath } from "../../lib/paths.js";
import { within } from "../../lib/within.js";
import { freePort, freePortsEnv } from "../helpers/free-port.js";

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** A make target as a user runs it (-o node_modules: the test installs nothing). */
function make(args: string[], env: Record<string, string> = {}, timeout = 60_000): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      "make",
      ["-s", "-o", "node_modules", ...args],
      { cwd: projectPath(), env: { ...process.env, ...env }, timeout },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function script(args: string[], env: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      "bash",
      args,
      { cwd: projectPath(), env: { ...process.env, ...env }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** make clean's recipe, one command per entry, as bash runs them (make's `$$` is bash's `$`). */
function cleanRecipe(): string[] {
  const recipe = readFileSync(projectPath("Makefile"), "utf8").split("\nclean:")[1]?.split("\n\n")[0] ?? "";
  return recipe
    .split("\n")
    .slice(1)
    .map((l) => l.trim().replace(/^-/, "").replaceAll("$$", "$"));
}

const USER_USAGE = 'usage: make user ARGS="--username NAME --password PW [--email E] [--role customer|admin]"';

t.test("make user: an unknown option, a missing value or a stray word is one line and the usage", async (t) => {
  // A PostgreSQL that is not there: each must be refused before any connection is tried.
  const env = { PG_PORT: String(await freePort()) };
  for (const [args, problem] of [
    ["--bogus", "user: Unknown option '--bogus'"],
    ["--username", "user: Option '--username <value>' argument missing"],
    ["--username alice --password long-enough-pw extra", "user: Unexpected argument 'extra'"],
  ] as const) {
    const r = await make(["user", `ARGS=${args}`], env);
    t.equal(r.code, 2, `${args}: exit code 2`);
    t.match(r.stderr, problem, args);
    t.match(r.stderr, USER_USAGE, `${args}: the usage`);
    t.notMatch(r.stderr, /^\s+at /m, `${args}: no stack trace`);
  }
});

t.test("make user ARGS=--help prints the usage and exits 0", async (t) => {
  const r = await make(["user", "ARGS=--help"], { PG_PORT: String(await freePort()) });
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, USER_USAGE);
  t.notMatch(r.stderr, /^\s+at /m, "no stack trace");
});

t.test("make reconcile ARGS=--help prints the usage and exits 0; an unknown argument is 2", async (t) => {
  const help = await make(["reconcile", "ARGS=--help"], { PG_PORT: String(await freePort()) });
  t.equal(help.code, 0, help.stderr);
  t.match(help.stdout, "usage: make reconcile [ARGS=--dry-run]");
  const bogus = await make(["reconcile", "ARGS=--bogus"], { PG_PORT: String(await freePort()) });
  t.not(bogus.code, 0);
  t.match(bogus.stderr, "reconcile: unknown argument --bogus; usage: make reconcile [ARGS=--dry-run]");
});

// A mistyped flag started Redis and PostgreSQL (seconds, and a stack left running) before
// db-reset read its arguments and refused them.
t.test("make db-reset with a bad flag refuses it before starting any store", async (t) => {
  const runDir = join(mkdtempSync(join(tmpdir(), "skybook-db-reset-")), "run");
  const env = { RUN_DIR: runDir, ...(await freePortsEnv(["REDIS_PORT", "PG_PORT"])) };
  const bogus = await make(["db-reset", "ARGS=--bogus"], env);
  t.not(bogus.code, 0);
  t.match(bogus.stderr, /^db-reset: .*--bogus/);
  t.notMatch(bogus.stdout, /infra:/, "nothing started");
  t.equal(existsSync(join(runDir, "redis")), false, "no Redis folder made");
  const help = await make(["db-reset", "ARGS=--help"], env);
  t.equal(help.code, 0, help.stderr);
  t.match(help.stdout, "usage: db-reset [options]");
  t.notMatch(help.stdout, /infra:/, "nothing started");
});

t.test("make logs with nothing ever started says so and ends, instead of waiting on no file", async (t) => {
  const runDir = join(mkdtempSync(join(tmpdir(), "skybook-logs-")), "run");
  // It used to follow forever: the time limit ends it, as a user's Ctrl-C did.
  const r = await make(["logs"], { RUN_DIR: runDir }, 10_000);
  t.not(r.code, 0, "a failure (make says 2 for any)");
  t.match(r.stderr, `services: no logs in ${runDir}/logs: start the services first (make up or make run)`);
  t.notMatch(r.stderr, /cannot open/, "not tail's complaint about a file named *.log");
});

// `make clean` deletes every run folder inside RUN_DIR (a second stack's, make test's), but stopped
// only RUN_DIR's own services: the others ran on with their PID files gone, out of `make down`'s
// reach. (The test runs make clean's first step alone: the whole target deletes dist-test/.)
t.test("make clean stops the services of the run folders inside RUN_DIR too", async (t) => {
  t.ok(cleanRecipe().includes("scripts/services.sh stop-all"), "make clean stops through services.sh stop-all");
  const runDir = join(mkdtempSync(join(tmpdir(), "skybook-clean-")), "run");
  const inner = join(runDir, "second");
  mkdirSync(inner, { recursive: true });
  // A supervised service as `make up` leaves it: its supervisor's PID in <RUN_DIR>/<service>.pid.
  const service = spawn("sleep", ["300"], { stdio: "ignore" });
  t.teardown(() => service.kill("SIGKILL"));
  const exited = once(service, "exit");
  writeFileSync(join(inner, "booking-svc.pid"), `${service.pid}\n`);
  const r = await script(["scripts/services.sh", "stop-all"], { RUN_DIR: runDir });
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.match(r.stdout, `services: booking-svc in ${inner} stopped`);
  const stopped = await within(
    exited.then(() => true),
    5_000,
    false,
  );
  t.ok(stopped, "the service was stopped");
  t.notOk(existsSync(join(inner, "booking-svc.pid")), "its PID file is gone");
});

// `make clean` deleted a `make cluster-up` cluster's run folder (.run/cluster, CLUSTER_RUN_DIR)
// without stopping it: its instances, Redis nodes and nginx ran on with their PID files gone.
t.test("make clean stops a make cluster-up cluster before deleting its folder", async (t) => {
  const line = cleanRecipe().find((l) => l.includes("scripts/cluster.sh down"));
  t.ok(line, "make clean stops the cluster through cluster.sh down");
  const clusterDir = mkdtempSync(join(tmpdir(), "skybook-clean-cluster-"));
  // An instance as cluster-up leaves it: its PID in <CLUSTER_RUN_DIR>/<service>-<n>.pid.
  const instance = spawn("sleep", ["300"], { stdio: "ignore" });
  t.teardown(() => instance.kill("SIGKILL"));
  const exited = once(instance, "exit");
  writeFileSync(join(clusterDir, "booking-svc-1.pid"), `${instance.pid}\n`);
  const r = await script(["-c", line ?? "false"], {
    CLUSTER_RUN_DIR: clusterDir,
    CLUSTER_PG_PORT: String(await freePort()),
    CLUSTER_REDIS_PORT: String(await freePort()),
  });
  t.equal(r.code, 0, r.stdout + r.stderr);
  const stopped = await within(
    exited.then(() => true),
    5_000,
    false,
  );
  t.ok(stopped, "the instance was stopped");
  // Without a cluster folder there is nothing to stop, and nothing is started or made.
  const none = join(clusterDir, "none");
  t.equal((await script(["-c", line ?? "false"], { CLUSTER_RUN_DIR: none })).code, 0);
  t.notOk(existsSync(none));
});
