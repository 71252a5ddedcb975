// `make chaos` with a mistyped flag: refused at once, with the usage and exit code 2, before
// anything is started. scripts/chaos.sh used to start Redis and PostgreSQL, build, migrate and
// make an admin account (20 s and more) and only then let the harness read its flags; a run's
// printed seed 0 could not be given back with --seed 0.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { projectPath } from "../../lib/paths.js";
import { freePort } from "../helpers/free-port.js";

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

function chaos(args: string[], env: Record<string, string>): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      "bash",
      ["scripts/chaos.sh", ...args],
      // As an operator runs it: no REDIS_URL or *_DATABASE_URL (the test runner's would be refused).
      {
        cwd: projectPath(),
        env: { ...process.env, REDIS_URL: "", FLIGHTS_DATABASE_URL: "", BOOKINGS_DATABASE_URL: "", ...env },
        timeout: 90_000,
      },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr, ms: Date.now() - started }),
    );
  });
}

const USAGE = 'usage: make chaos ARGS="[options]"';

t.test("make chaos: a bad flag is refused before Redis, PostgreSQL or a build is started", async (t) => {
  const runDir = join(mkdtempSync(join(tmpdir(), "skybook-chaos-args-")), "run");
  const env = {
    RUN_DIR: runDir,
    REDIS_PORT: String(await freePort()),
    PG_PORT: String(await freePort()),
    FLIGHT_PORT: String(await freePort()),
    BOOKING_PORT: String(await freePort()),
    PAYMENT_PORT: String(await freePort()),
    USER_PORT: String(await freePort()),
  };
  for (const [args, problem] of [
    [["--repeat", "0"], "chaos: --repeat 0: expected an integer from 1 to 1000"],
    [["--connections", "ten"], "chaos: --connections ten: expected an integer from 1 to 1000"],
    [["--fault-at", "-3"], "chaos: --fault-at -3: expected an integer from 1 to 600"],
    // Shorter load after the repair than the 10 s a booking has to be confirmed again in failed
    // a run whose recovery took longer than the load, not than the window.
    [["--after", "4"], "chaos: --after 4: expected an integer from 10 to 600"],
    [["--fault", "pg-stop-5,nope"], "chaos: --fault nope: expected one of pg-stop-5, pg-stop-20"],
    [["--bogus"], "chaos: Unknown option '--bogus'"],
    [["stray"], "chaos: Unexpected argument 'stray'"],
  ] as const) {
    const r = await chaos([...args], env);
    t.equal(r.code, 2, `${args.join(" ")}: exit code 2`);
    t.match(r.stderr, problem, args.join(" "));
    t.match(r.stderr, USAGE, `${args.join(" ")}: the usage`);
    t.notMatch(r.stderr, /^infra:|^migrate:|^user:/m, `${args.join(" ")}: nothing started`);
    t.notOk(existsSync(runDir), `${args.join(" ")}: no run folder made`);
  }
});

t.test("make chaos --check: the seed a run prints, 0 included, is taken back", async (t) => {
  const runDir = join(mkdtempSync(join(tmpdir(), "skybook-chaos-args-")), "run");
  const env = { RUN_DIR: runDir, REDIS_PORT: String(await freePort()), PG_PORT: String(await freePort()) };
  const ok = await chaos(["--seed", "0", "--fault", "kill-user", "--check"], env);
  t.equal(ok.code, 0, ok.stderr);
  t.notOk(existsSync(runDir), "--check starts nothing");
  const bad = await chaos(["--seed", "1073741824", "--check"], env);
  t.equal(bad.code, 2);
  t.match(bad.stderr, "chaos: --seed 1073741824: expected an integer from 0 to 1073741823");
});

t.test("make chaos --fault naming none is refused, not read as every fault", async (t) => {
  const runDir = join(mkdtempSync(join(tmpdir(), "skybook-chaos-args-")), "run");
  const env = { RUN_DIR: runDir, REDIS_PORT: String(await freePort()), PG_PORT: String(await freePort()) };
  // An empty list used to run all nine faults, some minutes of stopping and killing unasked.
  const r = await chaos(["--fault", ",", "--check"], env);
  t.equal(r.code, 2);
  t.match(r.stderr, "chaos: --fault ,: names no fault (see --list)");
  t.notOk(existsSync(runDir), "nothing started");
});
