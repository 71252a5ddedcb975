import type { PaymentConfig } from "../contracts/payment-mock/admin.js";
import type { AuthSettings } from "../lib/auth/settings.js";
import { createSql, type Sql } from "../lib/postgres-plugin.js";
import { closeRedis, createRedis, type RedisClient } from "../lib/redis-plugin.js";
import { describeFailure, storesOf } from "../scripts/data/cli.js";
import { type Account, signIn } from "./accounts.js";
import { DriftBeforeRun, driftBeforeRun } from "./invariants/before-run.js";
import { checkInvariants } from "./invariants/check.js";
import { maxBookingId } from "./invariants/reads.js";
import type { ProgressOut } from "./load/progress.js";
import { haltLoad } from "./load/run-load.js";
import { answersVsDatabase } from "./report/answers.js";
import { type ScenarioResult, type StressReport, scenarioOk, sloOk } from "./report/types.js";
import { createRng } from "./rng.js";
import type { Scenario, ScenarioOptions } from "./scenarios/types.js";
import { Services, type Urls } from "./services.js";
import { checkSlos, type Slo } from "./slo.js";
import type { ClusterControls } from "./topology/cluster-controls.js";

export interface StressOptions {
  scenarios: readonly Scenario[];
  durationSeconds?: number;
  connections?: number;
  requests?: number;
  seed: number;
  slos?: readonly Slo[];
  urls: Urls;
  /** The operator account for admin calls (flights, reconcile, payment config). */
  admin: { username: string; password: string };
  /** Where booking-svc's client secret is (for payment lookups and seat decrements). */
  serviceSecret: Pick<AuthSettings, "keyDir" | "serviceSecretFile">;
  redisUrl: string;
  /** Set on a cluster: the checks read every counter on the node that serves it. */
  redisClusterNodes?: string[];
  /** --topology cluster: the failover scenario's controls. */
  cluster?: ClusterControls | null;
  flightsDatabaseUrl: string;
  bookingsDatabaseUrl: string;
  /** Seconds autocannon waits for an answer. */
  timeoutSeconds: number;
  /** Upper bound on the wait for pending bookings and holds before the checks. */
  settleTimeoutSeconds: number;
  progress: ProgressOut | null;
  log: (line: string) => void;
  /**
   * Settles with the signal's name when the operator stops the run (Ctrl-C, SIGTERM): the
   * scenario under way is abandoned, payment-mock's config is restored, and the report holds
   * the scenarios that finished.
   */
  interrupted?: Promise<string>;
}

export class SystemUnreachable extends Error {
  override name = "SystemUnreachable";
}

// Customers registered for the run: enough to spread bookings and to try each other's bookings,
// few enough for user-svc's login limit (10 a minute from one address by default).
const CUSTOMERS = 6;

interface Stores {
  flightsSql: Sql;
  bookingsSql: Sql;
  redis: RedisClient;
}

async function runScenario(
  o: StressOptions,
  services: Services,
  stores: Stores,
  scenario: Scenario,
  index: number,
  customers: readonly Account[],
  restore: PaymentConfig,
): Promise<ScenarioResult> {
  const started = performance.now();
  const opts: ScenarioOptions = {
    durationSeconds: o.durationSeconds ?? scenario.defaults.durationSeconds,
    connections: o.connections ?? scenario.defaults.connections,
    ...(o.requests ? { requests: o.requests } : {}),
  };
  const load = o.requests ? `${o.requests} requests` : `${opts.durationSeconds} s`;
  o.log(`▶ ${scenario.name}: ${scenario.description} (${load}, ${opts.connections} connections)`);
  const ids = customers.map((c) => c.userId);
  const result: ScenarioResult = {
    name: scenario.name,
    description: scenario.description,
    phases: [],
    outcomes: {},
    invariants: [],
    slos: [],
    wallSeconds: 0,
  };
  try {
    const scope = {
      afterBookingId: await maxBookingId(stores.bookingsSql),
      userIdFrom: Math.min(...ids),
      userIdTo: Math.max(...ids) + 1,
    };
    const statsBefore = await services.paymentStats();
    await services.setPaymentConfig({ ...scenario.payment, seed: (o.seed + index) % 2 ** 31 });
    const run = await scenario.run(
      {
        services,
        flightsSql: stores.flightsSql,
        bookingsSql: stores.bookingsSql,
        rng: createRng(o.seed + index),
        progress: o.progress,
        timeoutSeconds: o.timeoutSeconds,
        log: o.log,
        customers,
        tag: (o.seed * 10 + index) % 5_000,
        cluster: o.cluster ?? null,
      },
      opts,
    );
    result.phases = run.phases;
    // Its declared targets are what `--slo` is checked against before the run.
    const declared: readonly string[] = scenario.targets;
    const undeclared = new Set(
      run.phases.flatMap((p) => p.targets.map((t) => t.name)).filter((n) => !declared.includes(n)),
    );
    if (undeclared.size) result.error = `ran targets it does not declare: ${[...undeclared].join(", ")}`;
    result.outcomes = run.outcomes;
    result.slos = checkSlos(o.slos ?? [], run.phases);
    const checked = await checkInvariants(
      { ...stores, services, customers, settleTimeoutSeconds: o.settleTimeoutSeconds, log: o.log },
      {
        scope,
        scenarioFlights: run.flights,
        statsBefore,
        phases: run.phases,
        ...(run.idempotency ? { idempotency: run.idempotency } : {}),
        ...(run.changes ? { changes: true } : {}),
      },
    );
    const omit = new Set(run.omit ?? []);
    result.invariants = [
      ...checked.invariants.filter((i) => !omit.has(i.name)),
      ...(run.invariants ?? []),
      ...(run.checks ? await run.checks(stores) : []),
    ];
    if (run.answered) result.reconciliation = answersVsDatabase(checked.bookings, run.answered);
  } catch (err) {
    result.error = (err as Error).message;
  } finally {
    // After the checks: the sweeper may still have called payment-mock while they waited.
    await services.setPaymentConfig(restore).catch((err: Error) => {
      result.error ??= `could not restore the payment config: ${err.message}`;
    });
  }
  result.wallSeconds = Math.round((performance.now() - started) / 100) / 10;
  o.log(`  ${scenarioOk(result) ? "passed" : "FAILED"} in ${result.wallSeconds} s`);
  return result;
}

/** Runs the scenarios one after another, each followed by its invariant checks. */
export async function runStress(o: StressOptions): Promise<StressReport> {
  const services = new Services(o.urls);
  const stores: Stores = {
    flightsSql: createSql(o.flightsDatabaseUrl, 4),
    bookingsSql: createSql(o.bookingsDatabaseUrl, 4),
    redis: createRedis(o.redisUrl, o.redisClusterNodes ?? []),
  };
  stores.redis.on("error", () => {});
  const startedAt = new Date().toISOString();
  let stopping = false;
  o.interrupted?.then(() => {
    stopping = true;
  });
  try {
    const stopped = o.interrupted?.then((signal) => ({ signal }));
    const setUp = (async () => {
      const down = await services.unhealthy();
      if (down.length) throw new SystemUnreachable(`not answering GET /health: ${down.join(", ")}`);
      // Before anything changes the data: the customers are not even registered yet.
      const drift = await driftBeforeRun(stores, o.settleTimeoutSeconds).catch((err: unknown) => {
        throw new SystemUnreachable(describeFailure(err, storesOf(o)));
      });
      if (drift.length) throw new DriftBeforeRun(drift, (o.redisClusterNodes ?? []).length > 0);
      const session = await signIn(services, o.admin, o.serviceSecret, CUSTOMERS);
      return { session, restore: await services.paymentConfig() };
    })();
    const ready = stopped ? await Promise.race([setUp, stopped]) : await setUp;
    if ("signal" in ready) {
      // Stopped before any scenario: nothing was changed yet.
      setUp.then(
        ({ session }) => session.stop(),
        () => {},
      );
      o.log(`■ interrupted (${ready.signal}) before the first scenario`);
      const finishedAt = new Date().toISOString();
      const { seed, urls: targets } = o;
      return { startedAt, finishedAt, seed, targets, scenarios: [], ok: false, sloOk: true, interrupted: ready };
    }
    const { session, restore } = ready;
    const { customers, ...signedIn } = session;
    const scenarios: ScenarioResult[] = [];
    let interrupted: StressReport["interrupted"];
    try {
      for (const [i, s] of o.scenarios.entries()) {
        signedIn.check();
        const running = runScenario(o, services, stores, s, i, customers, restore);
        const r = stopped ? await Promise.race([running, stopped]) : await running;
        if ("signal" in r) {
          interrupted = { signal: r.signal, scenario: s.name };
          // Its load ends now; what it still waits for ends with the stores closed below.
          haltLoad();
          running.catch(() => {});
          o.log(`■ ${s.name}: interrupted (${r.signal}); payment-mock's config restored`);
          break;
        }
        scenarios.push(r);
      }
    } finally {
      signedIn.stop();
      // A scenario stopped half-way set payment-mock's rates: a running system gets its own back.
      if (interrupted) await services.setPaymentConfig(restore).catch(() => {});
    }
    return {
      startedAt,
      finishedAt: new Date().toISOString(),
      seed: o.seed,
      targets: o.urls,
      scenarios,
      ok: !interrupted && scenarios.length > 0 && scenarios.every(scenarioOk),
      sloOk: scenarios.every(sloOk),
      ...(interrupted ? { interrupted } : {}),
    };
  } finally {
    await Promise.all([
      // Interrupted: requests still under way (a login, a wait) are cut, not waited for.
      services.close(stopping),
      stores.flightsSql.end({ timeout: 5 }),
      stores.bookingsSql.end({ timeout: 5 }),
      closeRedis(stores.redis),
    ]);
  }
}
