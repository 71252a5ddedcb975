// A SIGTERM to `make stress-test` (scripts/stress.sh), as a CI job's timeout or an operator's
// `kill` sends it: bash died at once, ran its exit trap (stopping a system it had started under
// the harness) and left the harness running by itself, still loading the services and waiting
// for them. Now the script hands the signal to the harness, which stops, reports and ends;
// the script ends with it (exit 143).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import t from "tap";
import { projectPath } from "../../lib/paths.js";
import { closeRedis, createRedis } from "../../lib/redis-plugin.js";
import { within } from "../../lib/within.js";
import { testDataConfig } from "../helpers/config.js";
import { freePort } from "../helpers/free-port.js";
import { healthStubs } from "../helpers/health-stubs.js";

/** Processes whose command line holds `marker` (the harness is found by its --out folder). */
function processesWith(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(marker)) pids.push(Number(entry));
    } catch {}
  }
  return pids;
}

t.test("SIGTERM to scripts/stress.sh ends the harness too", async (t) => {
  // A running system as far as /health goes, whose login never answers: the harness waits there.
  let loginAsked: () => void = () => {};
  const asked = new Promise<void>((resolve) => {
    loginAsked = resolve;
  });
  const urls = await healthStubs(t, (req) => {
    if (req.url !== "/api/auth/login") return false;
    loginAsked();
    return true;
  });
  // The test file's own stores (REDIS_URL and the rest, test/helpers/isolation.ts), emptied:
  // before it signs in, the harness checks every seat counter there for drift.
  const redis = createRedis(testDataConfig().redisUrl);
  await redis.flushdb();
  await closeRedis(redis);
  const out = mkdtempSync(join(tmpdir(), "skybook-stress-signals-"));
  const child = spawn("bash", ["scripts/stress.sh", "--scenario", "search", "--duration", "1", "--out", out], {
    cwd: projectPath(),
    env: {
      ...process.env,
      STRESS_FLIGHT_URL: urls[0],
      STRESS_BOOKING_URL: urls[1],
      STRESS_PAYMENT_URL: urls[2],
      STRESS_USER_URL: urls[3],
      STRESS_ADMIN_USERNAME: "ops",
      STRESS_ADMIN_PASSWORD: "Ops-secret-42",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  child.stdout.resume();
  t.teardown(() => {
    for (const pid of processesWith(out)) process.kill(pid, "SIGKILL");
  });
  await within(asked, 60_000, undefined);
  t.ok(processesWith(out).length > 0, "the harness runs");
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const [code] = await within(exited, 15_000, ["still running"]);
  t.equal(code, 143, `the script ends with the harness' status 143 (${stderr.slice(-300)})`);
  // The harness itself ends too, rather than going on alone.
  for (let i = 0; i < 50 && processesWith(out).length > 0; i++) await delay(100);
  t.same(processesWith(out), [], "no harness left behind");
  t.match(stderr, "stress: SIGTERM: stopping");
});

t.test("Ctrl-C while scripts/stress.sh starts the system ends it with 130", async (t) => {
  const runDir = join(mkdtempSync(join(tmpdir(), "skybook-stress-signals-")), "run");
  // Nothing answers there, on this machine: the script starts the system (the stores are given,
  // so only the build, migrations and services would be its own).
  const child = spawn("bash", ["scripts/stress.sh", "--scenario", "search", "--duration", "1", "--out", runDir], {
    cwd: projectPath(),
    // Its own process group, as a terminal's foreground job: Ctrl-C signals the whole group.
    detached: true,
    env: {
      ...process.env,
      RUN_DIR: runDir,
      FLIGHT_PORT: String(await freePort()),
      BOOKING_PORT: String(await freePort()),
      PAYMENT_PORT: String(await freePort()),
      USER_PORT: String(await freePort()),
      STRESS_FLIGHT_URL: "",
      STRESS_BOOKING_URL: "",
      STRESS_PAYMENT_URL: "",
      STRESS_USER_URL: "",
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
      FLIGHTS_DATABASE_URL: `postgres://skybook@127.0.0.1:${await freePort()}/flights_db`,
      BOOKINGS_DATABASE_URL: `postgres://skybook@127.0.0.1:${await freePort()}/bookings_db`,
      USERS_DATABASE_URL: `postgres://skybook@127.0.0.1:${await freePort()}/users_db`,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = once(child, "exit");
  for (let i = 0; i < 600 && !stderr.includes("starting them"); i++) await delay(100);
  t.match(stderr, "stress: the services do not answer; starting them");
  process.kill(-(child.pid as number), "SIGINT");
  const [code] = await within(exited, 60_000, ["still running"]);
  // It said "could not start the system" and ended 2, as for a failed start.
  t.equal(code, 130, stderr.slice(-400));
  t.notMatch(stderr, "could not start the system");
});
