import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { keys } from "../../flight-svc/inventory/keys.js";
import { projectPath } from "../../lib/paths.js";
import { serviceAccount } from "../../stress/accounts.js";
import { DriftBeforeRun } from "../../stress/invariants/before-run.js";
import { Services } from "../../stress/services.js";
import { upsertAccount } from "../../user-svc/accounts.js";
import { UsersRepo } from "../../user-svc/users-repo.js";
import { sampleFlightSeeds } from "../helpers/flight-svc.js";
import { freePort } from "../helpers/free-port.js";
import { healthStubs } from "../helpers/health-stubs.js";
import { startSystem } from "../helpers/system.js";
import { build as buildUser } from "../helpers/user-svc.js";

// A seat counter that already disagreed with PostgreSQL when `make stress-test` started (left by
// an earlier run killed half-way, or a Redis failover) failed every scenario's seat check, and
// the report blamed the run. Now the harness checks once before any load and refuses, exit 3,
// naming the flights and the repair; a live hold is not drift (a clean system's run: smoke.test.ts).

const ADMIN = { username: "stress-admin", password: "Admin-secret-42" };

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function harness(args: string[], env: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      "node",
      ["--import", "tsx", "stress/cli.ts", ...args],
      { cwd: projectPath(), env: { ...process.env, ...env }, timeout: 90_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

t.test("drift before the run: refused before any load, with the flights and the repair", async (t) => {
  const user = await buildUser(t, { listen: true, env: { LOGIN_RATE_LIMIT: "1000" } });
  await upsertAccount(new UsersRepo(user.app.sql), { ...ADMIN, email: "admin@stress.test" }, "admin", 1_024);
  const sys = await startSystem(t, sampleFlightSeeds(), {
    env: { AUTH_MODE: "required", USER_SERVICE_URL: user.url, AUTH_KEY_DIR: user.keyDir },
  });
  const env = {
    STRESS_FLIGHT_URL: sys.flightUrl,
    STRESS_BOOKING_URL: sys.bookingUrl,
    STRESS_PAYMENT_URL: sys.paymentUrl,
    STRESS_USER_URL: user.url,
    STRESS_ADMIN_USERNAME: ADMIN.username,
    STRESS_ADMIN_PASSWORD: ADMIN.password,
    STRESS_SETTLE_TIMEOUT_SECONDS: "20",
    AUTH_KEY_DIR: user.keyDir,
    REDIS_URL: sys.config.redisUrl,
    FLIGHTS_DATABASE_URL: sys.flightConfig.flightsDatabaseUrl,
    BOOKINGS_DATABASE_URL: sys.config.bookingsDatabaseUrl,
  };
  const out = await mkdtemp(join(tmpdir(), "stress-drift-"));
  t.teardown(() => rm(out, { recursive: true, force: true }));
  const args = ["--scenario", "search", "--duration", "1", "--connections", "2", "--out", out];

  // A client's 30-minute hold: its seats are off the counter and not yet in PostgreSQL.
  const services = new Services({
    flight: sys.flightUrl,
    booking: sys.bookingUrl,
    payment: sys.paymentUrl,
    user: user.url,
  });
  t.teardown(() => services.close());
  const service = await serviceAccount(services.user, { keyDir: user.keyDir, serviceSecretFile: "" });
  const hold = await sys.flightCall(
    "POST",
    "/api/flights/holds",
    { flight_ids: [2], seats: 3, ttl_seconds: 1_800 },
    { authorization: service?.authorization ?? "" },
  );
  t.equal(hold.status, 201, "a live hold on flight 2");

  await sys.flightCall("GET", "/api/flights/1");
  await sys.flightCall("GET", "/api/flights/3");
  await sys.redis.incrby(keys.seatsAvailable(1), 1);
  await sys.redis.decrby(keys.seatsAvailable(3), 2);
  const rows = await sys.flightsSql<{ id: number; free: number }[]>`
    SELECT id::int AS id, total_seats - booked_seats AS free FROM flights WHERE id IN (1, 3) ORDER BY id`;
  const free = new Map(rows.map((r) => [r.id, r.free]));
  const [users] = await user.app.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM users`;
  const reports = (await readdir(out)).length;

  const drifted = await harness(args, env);
  t.equal(drifted.code, 3, "exit 3: drift found before the run, not the run's failure (1)");
  t.match(
    drifted.stderr,
    "stress: the seat counters drift before the run, so no load was sent (the drift is not this run's): " +
      "on 2 flights Redis' available seats ≠ total − confirmed − held\n" +
      `  flight 1: redis ${(free.get(1) ?? 0) + 1}, total − confirmed − held ${free.get(1)}\n` +
      `  flight 3: redis ${(free.get(3) ?? 0) - 2}, total − confirmed − held ${free.get(3)}\n` +
      "Repair it with `make reconcile` (with the REDIS_PORT and PG_PORT, or REDIS_URL and FLIGHTS_DATABASE_URL, " +
      "of the system); ARGS=--dry-run only reports. Then run again.",
  );
  t.notMatch(drifted.stderr, "flight 2", "the live hold is not drift");
  t.notMatch(drifted.stdout, "▶", "no scenario started");
  const [after] = await user.app.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM users`;
  t.equal(after?.n, users?.n, "no customer registered");
  t.equal((await readdir(out)).length, reports, "no report written");
});

t.test(
  "on the cluster topology the repair is the cluster's reconcile; more than five flights are counted",
  async (t) => {
    const one = new DriftBeforeRun([{ id: 7, redis: 9, expected: 8, held: 1 }], true);
    t.equal(
      one.message,
      "the seat counters drift before the run, so no load was sent (the drift is not this run's): " +
        "on 1 flight Redis' available seats ≠ total − confirmed − held\n" +
        "  flight 7: redis 9, total − confirmed − held 8 (1 held)\n" +
        "Repair it with `scripts/cluster.sh run make reconcile` (the system of `make cluster-up`, with the same " +
        "CLUSTER_* settings); ARGS=--dry-run only reports. Then run again.",
    );
    const many = new DriftBeforeRun(
      Array.from({ length: 8 }, (_, i) => ({ id: i + 1, redis: 5, expected: i === 7 ? null : 4, held: 0 })),
      false,
    );
    t.match(many.message, "on 8 flights");
    t.match(
      many.message,
      "  flight 5: redis 5, total − confirmed − held 4\n  … 3 more\nRepair it with `make reconcile`",
    );
    t.notMatch(many.message, "flight 6:");
  },
);

t.test("a Redis that does not answer is named, with what to do, before any load", async (t) => {
  const urls = await healthStubs(t);
  const redisPort = await freePort();
  const r = await harness(["--scenario", "search", "--duration", "1"], {
    STRESS_FLIGHT_URL: urls[0] as string,
    STRESS_BOOKING_URL: urls[1] as string,
    STRESS_PAYMENT_URL: urls[2] as string,
    STRESS_USER_URL: urls[3] as string,
    STRESS_ADMIN_USERNAME: ADMIN.username,
    STRESS_ADMIN_PASSWORD: ADMIN.password,
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
  });
  t.equal(r.code, 2, "exit 2: the system cannot be reached");
  t.match(
    r.stderr,
    `stress: Redis at 127.0.0.1:${redisPort} does not answer: start it (make up, or scripts/infra.sh up, with the same REDIS_PORT) or name a running server with REDIS_URL\n`,
  );
  t.notMatch(r.stderr, "MaxRetriesPerRequestError", "no stack trace");
});
