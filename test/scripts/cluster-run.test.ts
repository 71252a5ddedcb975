// `make reconcile` (user, seed, mcp-http...) after `make cluster-up` reached the Redis and
// PostgreSQL of `make up` (REDIS_PORT, PG_PORT), never the cluster: it failed with "PostgreSQL at
// 127.0.0.1:5440 refused the connection", or reported on another system. `scripts/cluster.sh run`
// gives a command the cluster's addresses, and the Makefile's scripts/local-env.sh keeps them.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { projectPath } from "../../lib/paths.js";

const dir = mkdtempSync(join(tmpdir(), "skybook-cluster-run-"));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

const clean: Record<string, string | undefined> = { ...process.env };
for (const k of Object.keys(clean)) if (/_URL$|^REDIS_CLUSTER_NODES$|^AUTH_KEY_DIR$/.test(k)) delete clean[k];
const env = {
  ...clean,
  // `make up`'s stack, which the command must not be given.
  REDIS_PORT: "6390",
  PG_PORT: "5440",
  CLUSTER_RUN_DIR: dir,
  CLUSTER_REDIS_PORT: "27001",
  CLUSTER_PG_PORT: "25450",
  FLIGHT_PORT: "28080",
  BOOKING_PORT: "28081",
  PAYMENT_PORT: "28082",
  USER_PORT: "28083",
};

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile("bash", ["scripts/cluster.sh", "run", ...args], { cwd: projectPath(), env }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

t.test("a Makefile target's command run through it gets the cluster's addresses", async (t) => {
  const res = await run(["scripts/local-env.sh", "node", "-e", "console.log(JSON.stringify(process.env))"]);
  t.equal(res.code, 0, res.stderr);
  const seen = JSON.parse(res.stdout) as Record<string, string>;
  t.equal(
    seen.REDIS_CLUSTER_NODES,
    [27001, 27002, 27003, 27004, 27005, 27006].map((p) => `127.0.0.1:${p}`).join(","),
    "the six nodes",
  );
  for (const db of ["flights_db", "bookings_db", "users_db"]) {
    const setting = `${db.split("_")[0]?.toUpperCase()}_DATABASE_URL`;
    t.equal(seen[setting], `postgres://skybook@127.0.0.1:25450/${db}`, setting);
  }
  t.equal(seen.FLIGHT_SERVICE_URL, "http://127.0.0.1:28080", "flight-svc through nginx");
  t.equal(seen.BOOKING_SERVICE_URL, "http://127.0.0.1:28081", "booking-svc through nginx");
  t.equal(seen.PAYMENT_SERVICE_URL, "http://127.0.0.1:28082", "payment-mock through nginx");
  t.equal(seen.USER_SERVICE_URL, "http://127.0.0.1:28083", "user-svc through nginx");
  t.equal(seen.AUTH_KEY_DIR, join(dir, "keys"), "the cluster's keys");
});

t.test("without a command it says how to call it", async (t) => {
  const res = await run([]);
  t.equal(res.code, 1);
  t.match(res.stderr, /usage: .*cluster\.sh run COMMAND/);
});
