import t from "tap";
import { signIn } from "../../stress/accounts.js";
import { renderTerminal } from "../../stress/report/terminal.js";
import { runStress } from "../../stress/run.js";
import { scenarioNamed } from "../../stress/scenarios/index.js";
import type { Scenario } from "../../stress/scenarios/types.js";
import { Services } from "../../stress/services.js";
import { upsertAccount } from "../../user-svc/accounts.js";
import { UsersRepo } from "../../user-svc/users-repo.js";
import { sampleFlightSeeds } from "../helpers/flight-svc.js";
import { startSystem } from "../helpers/system.js";
import { build as buildUser } from "../helpers/user-svc.js";

// Ctrl-C (or SIGTERM) in the middle of `make stress-test` against a running system: the node
// process died where it stood, so payment-mock kept the scenario's rates (10% of every later
// payment declined, on an operator's system) and nothing was reported. Now the run stops,
// restores payment-mock's config at once and reports the scenarios that finished, as failed.

const ADMIN = { username: "stress-admin", password: "Admin-secret-42" };

t.test("an interrupted run restores payment-mock's config and reports what finished", async (t) => {
  const user = await buildUser(t, { listen: true, env: { LOGIN_RATE_LIMIT: "1000" } });
  await upsertAccount(new UsersRepo(user.app.sql), { ...ADMIN, email: "admin@stress.test" }, "admin", 1_024);
  const sys = await startSystem(t, sampleFlightSeeds(), {
    env: { AUTH_MODE: "required", USER_SERVICE_URL: user.url, AUTH_KEY_DIR: user.keyDir },
  });
  const urls = { flight: sys.flightUrl, booking: sys.bookingUrl, payment: sys.paymentUrl, user: user.url };
  const serviceSecret = { keyDir: user.keyDir, serviceSecretFile: "" };
  // The operator's own payment config, which the run must give back.
  const services = new Services(urls);
  t.teardown(() => services.close());
  const session = await signIn(services, ADMIN, serviceSecret, 0);
  session.stop();
  const mine = await services.setPaymentConfig({
    failure_rate: 0,
    timeout_rate: 0,
    latency_min_ms: 1,
    latency_max_ms: 2,
    seed: 4242,
  });

  let interrupt = (_signal: string) => {};
  const interrupted = new Promise<string>((resolve) => {
    interrupt = resolve;
  });
  const lines: string[] = [];
  const started = Date.now();
  const run = runStress({
    scenarios: [scenarioNamed("search"), scenarioNamed("contention")] as Scenario[],
    durationSeconds: 30,
    connections: 4,
    seed: 7,
    urls,
    admin: ADMIN,
    serviceSecret,
    redisUrl: sys.config.redisUrl,
    flightsDatabaseUrl: sys.flightConfig.flightsDatabaseUrl,
    bookingsDatabaseUrl: sys.config.bookingsDatabaseUrl,
    timeoutSeconds: 10,
    settleTimeoutSeconds: 20,
    progress: null,
    log: (line) => lines.push(line),
    interrupted,
  });
  // Ctrl-C two seconds into the first scenario's 30 s of load.
  setTimeout(() => interrupt("SIGINT"), 2_000);
  const report = await run;
  const config = await services.paymentConfig();

  t.ok(Date.now() - started < 15_000, `the run stopped at the interruption (${Date.now() - started} ms)`);
  t.same(report.interrupted, { signal: "SIGINT", scenario: "search" });
  t.same(
    report.scenarios.map((s) => s.name),
    [],
    "the scenario under way is left out, the later ones not started",
  );
  t.equal(report.ok, false, "an interrupted run does not pass");
  t.same(config, mine, "payment-mock's config as it was before the run");
  const text = renderTerminal(report, false);
  t.match(text, "interrupted (SIGINT) during search: only the scenarios before it are reported");
  t.match(text, "FAILED: search (interrupted)");
  // The abandoned scenario ends in the background; let it before the stores close.
  await new Promise((r) => setTimeout(r, 1_000));
});
