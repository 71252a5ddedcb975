import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { projectPath } from "../../lib/paths.js";
import { CHILD_START_MS, compiledEntry } from "../helpers/child-start.js";
import { freePort } from "../helpers/free-port.js";
import { waitFor } from "../helpers/system.js";

// scripts/supervise.sh with a real service (payment-mock, which needs no Redis or PostgreSQL).

function supervise(pidFile: string, env: Record<string, string>) {
  const child = spawn(
    projectPath("scripts", "supervise.sh"),
    ["--pid-file", pidFile, "payment-mock", process.execPath, compiledEntry("payment-mock/server.ts")],
    { cwd: projectPath(), env: { ...process.env, LOG_LEVEL: "silent", ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  for (const s of [child.stdout, child.stderr]) {
    s.on("data", (c: Buffer) => {
      out += c.toString();
    });
  }
  return { child, output: () => out };
}

const healthy = (port: number) =>
  fetch(`http://127.0.0.1:${port}/health`).then(
    (r) => r.status === 200,
    () => false,
  );

t.test("a killed service is started again; SIGTERM stops service and supervisor", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "supervise-"));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const port = await freePort();
  const pidFile = join(dir, "payment-mock.pid");
  const { child, output } = supervise(pidFile, { PAYMENT_PORT: String(port) });
  t.teardown(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });

  t.ok(await waitFor(() => healthy(port), CHILD_START_MS, 100), "the service runs");
  const first = Number(await readFile(pidFile, "utf8"));
  process.kill(first, "SIGKILL");
  const killed = performance.now();
  const restarted = await waitFor(
    async () => {
      const pid = Number(await readFile(pidFile, "utf8").catch(() => "0"));
      return pid !== 0 && pid !== first && (await healthy(port));
    },
    CHILD_START_MS,
    50,
  );
  t.ok(restarted, "a new process serves again");
  t.comment(`back ${Math.round(performance.now() - killed)} ms after the kill`);
  t.match(output(), /supervise: payment-mock: died \(exit 137\); restarting in 0\.5 s/);

  const second = Number(await readFile(pidFile, "utf8"));
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const [code] = await exited;
  t.equal(code, 0, "the service stopped cleanly and the supervisor with it");
  t.notOk(await healthy(port), "nothing listens any more");
  t.throws(() => process.kill(second, 0), "the service process is gone");
});

t.test("a bad configuration is not restarted", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "supervise-"));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const { child, output } = supervise(join(dir, "pid"), { PAYMENT_PORT: "eighty" });
  const [code] = await once(child, "exit");
  t.equal(code, 2);
  t.match(output(), /PAYMENT_PORT=eighty/);
  t.match(output(), /supervise: payment-mock: bad configuration \(exit 2\): not restarted/);
});

t.test("a supervisor killed outright takes its service with it", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "supervise-"));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const port = await freePort();
  const pidFile = join(dir, "payment-mock.pid");
  const { child } = supervise(pidFile, { PAYMENT_PORT: String(port) });
  t.ok(await waitFor(() => healthy(port), CHILD_START_MS, 100), "the service runs");
  const service = Number(await readFile(pidFile, "utf8"));
  const alive = () => {
    try {
      process.kill(service, 0);
      return true;
    } catch {
      return false;
    }
  };
  t.teardown(() => {
    if (alive()) process.kill(service, "SIGKILL");
  });

  // kill -9 of the PID make up keeps runs no trap: the service must not run on unsupervised.
  const exited = once(child, "exit");
  child.kill("SIGKILL");
  await exited;
  t.ok(await waitFor(async () => !alive(), 5_000, 50), "the service process is gone");
  t.notOk(await healthy(port), "nothing listens any more");
});
