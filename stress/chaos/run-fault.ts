import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import type { Sql } from "../../lib/postgres-plugin.js";
import type { Account } from "../accounts.js";
import { type CheckEnv, type CheckInput, checkInvariants, settle } from "../invariants/check.js";
import { first, result } from "../invariants/observations.js";
import { type BookingScope, maxBookingId } from "../invariants/reads.js";
import type { ProgressOut } from "../load/progress.js";
import { runLoad } from "../load/run-load.js";
import type { InvariantResult, PhaseResult } from "../report/types.js";
import { createRng } from "../rng.js";
import { createNetwork } from "../scenarios/networks.js";
import { bookingTarget } from "../scenarios/targets.js";
import type { ScenarioEnv } from "../scenarios/types.js";
import type { Services } from "../services.js";
import type { Fault, ServiceName } from "./faults.js";
import { firstConfirmedAfter, statusesIn, TimedTraffic, unexpectedStatuses } from "./timeline.js";

// One fault run: booking load (retries with Idempotency-Keys, cancellations, declined
// payments), the fault at a fixed second, its repair, more load; then the bounded wait until
// everything settled and every invariant of the stress harness, plus what outages must never do.

export interface FaultRunOptions {
  fault: Fault;
  run: number;
  seed: number;
  connections: number;
  faultAtSeconds: number;
  /** Load that goes on after the repair. */
  afterSeconds: number;
  /** The most seconds from the fault until everything settled. */
  settleLimitSeconds: number;
  /** How soon after the repair a booking must be confirmed again. */
  recoverLimitSeconds: number;
  timeoutSeconds: number;
  services: Services;
  /** The customers the load books as, signed in at user-svc. */
  customers: Account[];
  flightsSql: Sql;
  bookingsSql: Sql;
  redis: Redis;
  progress: ProgressOut | null;
  log: (line: string) => void;
  /** Every service answers /ready (before the run starts). */
  ready(): Promise<void>;
  /** The restarts each service's supervisor logged during the run (only the run's kills may be there). */
  restarts(): Promise<Map<ServiceName, string[]>>;
}

export interface FaultRunResult {
  fault: string;
  run: number;
  ok: boolean;
  phase: PhaseResult | null;
  outcomes: Record<string, number>;
  /** Status codes answered while the fault lasted. */
  duringFault: Record<string, number>;
  /** Seconds from the blow until the repair ended (a killed service: until it was ready again). */
  faultSeconds: number | null;
  /** Seconds from the repair to the first confirmed booking; null if none came. */
  recoveredSeconds: number | null;
  /** Seconds from the fault until nothing was pending and Redis agreed with PostgreSQL. */
  settledSeconds: number | null;
  /** Of those, the seconds after the load stopped. */
  settleWaitSeconds: number | null;
  invariants: InvariantResult[];
  error?: string;
}

// Payments as in the issue's measurements: quick, 10 % declined.
const PAYMENT = { failure_rate: 0.1, timeout_rate: 0, latency_min_ms: 5, latency_max_ms: 30 };

export async function runFault(o: FaultRunOptions): Promise<FaultRunResult> {
  const out: FaultRunResult = {
    fault: o.fault.name,
    run: o.run,
    ok: false,
    phase: null,
    outcomes: {},
    duringFault: {},
    faultSeconds: null,
    recoveredSeconds: null,
    settledSeconds: null,
    settleWaitSeconds: null,
    invariants: [],
  };
  await o.ready();
  const restore = await o.services.paymentConfig();
  let load: Promise<PhaseResult> | null = null;
  try {
    const rng = createRng(o.seed);
    const ids = o.customers.map((c) => c.userId);
    const env: ScenarioEnv = {
      services: o.services,
      flightsSql: o.flightsSql,
      rng,
      progress: o.progress,
      timeoutSeconds: o.timeoutSeconds,
      log: o.log,
      customers: o.customers,
      tag: o.seed % 5_000,
      cluster: null,
    };
    await o.services.setPaymentConfig({ ...PAYMENT, seed: o.seed });
    const net = await createNetwork(env, 8, 1_000, 1_000);
    const input: CheckInput = {
      scope: {
        afterBookingId: await maxBookingId(o.bookingsSql),
        userIdFrom: Math.min(...ids),
        userIdTo: Math.max(...ids) + 1,
      },
      scenarioFlights: net.flights,
      statsBefore: await o.services.paymentStats(),
      phases: [],
    };
    const traffic = new TimedTraffic(rng, env.customers, net.itineraries, env.tag, {
      maxSeats: 4,
      retryShare: 0.2,
      collectConfirmed: true,
    });
    traffic.start();
    load = runLoad(
      {
        name: `${o.fault.name} #${o.run}`,
        targets: [bookingTarget(env, o.connections, traffic, 0.3)],
        durationSeconds: o.faultAtSeconds + o.fault.seconds + o.afterSeconds,
        timeoutSeconds: o.timeoutSeconds,
      },
      o.progress,
    );
    await sleep(o.faultAtSeconds * 1000);
    const faultAt = traffic.now();
    await o.fault.inject();
    await sleep(o.fault.seconds * 1000);
    await o.fault.repair();
    const repairedAt = traffic.now();
    out.faultSeconds = (repairedAt - faultAt) / 1000;
    const phase = await load;
    out.phase = phase;
    out.outcomes = traffic.outcomes;
    out.duringFault = statusesIn(traffic.answers, { from: faultAt, to: repairedAt + 1 });
    const recovered = firstConfirmedAfter(traffic.answers, repairedAt);
    out.recoveredSeconds = recovered === null ? null : recovered / 1000;

    const check: CheckEnv = {
      flightsSql: o.flightsSql,
      bookingsSql: o.bookingsSql,
      redis: o.redis,
      services: o.services,
      settleTimeoutSeconds: o.settleLimitSeconds,
      log: o.log,
    };
    const settled = await settle(check, input);
    out.settledSeconds = (traffic.now() - faultAt) / 1000;
    out.settleWaitSeconds = settled.waitedSeconds;
    const settledInTime = settled.unfinished.length === 0 && out.settledSeconds <= o.settleLimitSeconds;
    const { invariants } = await checkInvariants(check, {
      ...input,
      phases: [phase],
      idempotency: traffic.idempotency,
    });
    out.invariants = [
      answered(traffic, phase, o.fault),
      await noServiceDied(o),
      result(
        `settled within ${o.settleLimitSeconds} s of the fault`,
        settledInTime,
        `${out.settledSeconds.toFixed(1)} s${settled.unfinished.length ? `, ${settled.unfinished.length} unfinished` : ""}`,
      ),
      await noSeatsReleasedUnderAConfirm(o, input.scope),
      result(
        `bookings confirmed again within ${o.recoverLimitSeconds} s of the repair`,
        recovered !== null && recovered <= o.recoverLimitSeconds * 1000,
        recovered === null ? "no booking confirmed after the repair" : `${(recovered / 1000).toFixed(2)} s`,
      ),
      // The harness' own rule replaces the plain stress rule "no 5xx".
      ...invariants.filter((i) => i.name !== "no 5xx responses"),
    ];
    out.ok = out.invariants.every((i) => i.ok);
  } catch (err) {
    out.error = (err as Error).message;
  } finally {
    // A fault that failed half-way must not leave its load running into the next run.
    await load?.catch(() => null);
    await o.services.setPaymentConfig(restore).catch(() => {});
  }
  return out;
}

/**
 * Every request got an answer, and every answer was 2xx, 4xx or 503. Only a fault that kills
 * booking-svc itself (the service the clients talk to) may cut their connections.
 */
function answered(traffic: TimedTraffic, phase: PhaseResult, fault: Fault): InvariantResult {
  const bad = Object.entries(unexpectedStatuses(traffic.answers)).map(([s, n]) => `${n} × ${s}`);
  const cut = phase.errors + phase.timeouts;
  const mayCut = fault.kills.includes("booking-svc");
  if (cut > 0 && !mayCut) bad.push(`${phase.errors} connection errors, ${phase.timeouts} timeouts`);
  const detail = `${phase.requests} answers${mayCut ? `, ${cut} connections cut by the kill` : ""}`;
  return result("every request answered 2xx, 4xx or 503", bad.length === 0, bad.length ? first(bad) : detail);
}

/**
 * A booking fails "hold_expired" when its payment went through but flight-svc had released its
 * seats: booking-svc refunds it. With holds of 15 minutes that only happens when the sweepers
 * disagree about a confirm in doubt, or when Redis lost the hold.
 */
async function noSeatsReleasedUnderAConfirm(o: FaultRunOptions, scope: BookingScope): Promise<InvariantResult> {
  const [row] = await o.bookingsSql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM bookings
    WHERE id > ${scope.afterBookingId} AND user_id >= ${scope.userIdFrom} AND user_id < ${scope.userIdTo}
      AND error_code = 'hold_expired'`;
  const n = row?.n ?? 0;
  const name = "no paid booking lost its seats to a release";
  if (o.fault.losesHolds) return result(name, true, `${n} refunded because Redis lost their holds (expected)`);
  return result(
    name,
    n === 0,
    n ? `${n} bookings paid, their hold released, refunded` : "none refunded for a released hold",
  );
}

async function noServiceDied(o: FaultRunOptions): Promise<InvariantResult> {
  const bad: string[] = [];
  let restarts = 0;
  for (const [name, lines] of await o.restarts()) {
    const expected = o.fault.kills.filter((k) => k === name).length;
    restarts += lines.length;
    if (lines.length !== expected)
      bad.push(`${name}: ${lines.length} restarts (${expected} expected): ${lines.join("; ")}`);
  }
  const detail = restarts ? `only the ${restarts} kill(s) of the fault, each restarted` : "no restarts";
  return result("no service died by itself", bad.length === 0, bad.length ? first(bad) : detail);
}
