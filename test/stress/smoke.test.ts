import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { keys } from "../../flight-svc/inventory/keys.js";
import { writeReports } from "../../stress/report/write.js";
import { runStress } from "../../stress/run.js";
import { SCENARIOS, scenarioNamed } from "../../stress/scenarios/index.js";
import type { Scenario } from "../../stress/scenarios/types.js";
import { upsertAccount } from "../../user-svc/accounts.js";
import { UsersRepo } from "../../user-svc/users-repo.js";
import { sampleFlightSeeds } from "../helpers/flight-svc.js";
import { type System, startSystem } from "../helpers/system.js";
import { build as buildUser } from "../helpers/user-svc.js";

// The harness end to end for two seconds per scenario against the four services in-process, as
// real customers with tokens and an admin made as an operator makes one: every scenario runs,
// every invariant is checked and holds, and the reports are written.

// Short timeouts so that bookings left pending by payment timeouts settle within seconds.
const ENV = {
  PAYMENT_TIMEOUT_MS: "300",
  PAYMENT_TIMEOUT_DELAY_MS: "500",
  FLIGHT_TIMEOUT_MS: "800",
  BOOKING_PENDING_DEADLINE_SECONDS: "3",
  BOOKING_SWEEP_MS: "100",
  HOLD_SWEEP_MS: "100",
};

const ADMIN = { username: "stress-admin", password: "Admin-secret-42" };

interface UserSvc {
  url: string;
  keyDir: string;
  /** What makes the other services require its tokens. */
  env: Record<string, string>;
}

/**
 * user-svc, started before the system (its store reset must not empty theirs), with an admin
 * account made the way `make user` makes it; logins unlimited, as scripts/stress.sh sets them.
 */
async function userSvc(t: Parameters<typeof startSystem>[0]): Promise<UserSvc> {
  const user = await buildUser(t, { listen: true, env: { LOGIN_RATE_LIMIT: "1000" } });
  await upsertAccount(new UsersRepo(user.app.sql), { ...ADMIN, email: "admin@stress.test" }, "admin", 1_024);
  return {
    url: user.url,
    keyDir: user.keyDir,
    env: { AUTH_MODE: "required", USER_SERVICE_URL: user.url, AUTH_KEY_DIR: user.keyDir },
  };
}

function run(
  sys: System,
  user: UserSvc,
  scenarios: readonly Scenario[],
  settleTimeoutSeconds: number,
  log: (l: string) => void,
) {
  return runStress({
    scenarios,
    // Two seconds: on a loaded machine a booking can take longer than one to be answered.
    durationSeconds: 2,
    connections: 4,
    seed: 7,
    urls: { flight: sys.flightUrl, booking: sys.bookingUrl, payment: sys.paymentUrl, user: user.url },
    admin: ADMIN,
    serviceSecret: { keyDir: user.keyDir, serviceSecretFile: "" },
    redisUrl: sys.config.redisUrl,
    flightsDatabaseUrl: sys.flightConfig.flightsDatabaseUrl,
    bookingsDatabaseUrl: sys.config.bookingsDatabaseUrl,
    timeoutSeconds: 10,
    settleTimeoutSeconds,
    progress: null,
    log,
  });
}

t.test("every scenario runs for a second and every invariant holds", async (t) => {
  const user = await userSvc(t);
  const sys = await startSystem(t, sampleFlightSeeds(), { env: { ...ENV, ...user.env } });
  const lines: string[] = [];
  const report = await run(sys, user, SCENARIOS, 20, (line) => lines.push(line));

  t.same(
    report.scenarios.map((s) => s.name),
    ["search", "contention", "payment-failures", "payment-timeouts", "mixed", "check-in", "changes"],
  );
  for (const s of report.scenarios) {
    t.equal(s.error, undefined, `${s.name} ran`);
    t.ok(s.invariants.length >= 9, `${s.name} checked its invariants`);
    t.same(
      s.invariants.filter((i) => !i.ok),
      [],
      `${s.name}: every invariant holds`,
    );
    t.ok(
      s.phases.every((p) => p.requests > 0),
      `${s.name}: load reached the services`,
    );
  }
  t.ok(report.ok, "the run passed");
  for (const name of ["contention", "payment-failures", "payment-timeouts", "mixed"]) {
    const cross = report.scenarios
      .find((s) => s.name === name)
      ?.invariants.find((i) => i.name === "no user reads or cancels another's booking");
    t.equal(cross?.ok, true, `${name}: other users' bookings tried and refused`);
    t.notOk(cross?.notApplicable, `${name}: with AUTH_MODE=required the tries apply`);
  }
  t.ok(
    report.scenarios
      .find((s) => s.name === "mixed")
      ?.invariants.some((i) => i.name === "one booking per Idempotency-Key"),
    "mixed checks its retried keys",
  );
  t.ok(lines.some((l) => l.startsWith("▶ contention")));

  const dir = await mkdtemp(join(tmpdir(), "stress-smoke-"));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const paths = await writeReports(report, dir);
  t.same(JSON.parse(await readFile(paths.json, "utf8")), JSON.parse(JSON.stringify(report)));
  const html = await readFile(paths.html, "utf8");
  t.equal(html.match(/<svg /g)?.length, 21, "three charts per scenario");
  t.match(await readFile(join(dir, "latest.html"), "utf8"), "Skybook stress report");
});

t.test("a leaked seat and a charge without a booking fail their invariants", async (t) => {
  const user = await userSvc(t);
  // The open API (AUTH_MODE=off), so that the stray charge below needs no service token.
  const sys = await startSystem(t, sampleFlightSeeds(), { env: { ...ENV, ...user.env, AUTH_MODE: "off" } });
  await sys.flightCall("GET", "/api/flights/1");
  // The leaked seat and a charge for a booking that does not exist, made once the run has checked
  // the counters and the scenario has taken its baseline (it logs its route mix after that).
  let leak: Promise<unknown> = Promise.resolve();
  let stray: Promise<unknown> = Promise.resolve();
  const report = await run(sys, user, [scenarioNamed("search") as Scenario], 2, (line) => {
    if (line.startsWith("  route mix:")) {
      leak = sys.redis.incrby(keys.seatsAvailable(1), 1);
      stray = sys.paymentCall("POST", "/api/payments/process", {
        booking_id: 999_999,
        amount: 10,
        user_id: 1,
        payment_type: "upi",
      });
    }
  });
  await leak;
  t.equal(((await stray) as { status: number }).status, 200);
  t.notOk(report.ok);
  const failed = Object.fromEntries(
    (report.scenarios[0]?.invariants ?? []).filter((i) => !i.ok).map((i) => [i.name, i.detail]),
  );
  t.same(failed, {
    "available = total − confirmed − held": "flight 1: redis 131, total − confirmed − held 130",
    "reconcile reports no drift": "flight 1: redis 131, expected 130",
    "confirmed = payments − refunds": "0 confirmed ≠ 1 charged − 0 refunded; 0.00 ≠ 10.00 − 0.00",
    "no payment without booking": "payment-mock recorded 1 charges (10.00), bookings account for 0 (0.00)",
  });
});
