import { setTimeout as sleep } from "node:timers/promises";
import type { PaymentStats } from "../../contracts/payment-mock/admin.js";
import { mapLimit } from "../../lib/map-limit.js";
import type { Sql } from "../../lib/postgres-plugin.js";
import type { RedisClient } from "../../lib/redis-plugin.js";
import type { Account } from "../accounts.js";
import type { InvariantResult, PhaseResult } from "../report/types.js";
import type { ReconcileReport, Services } from "../services.js";
import { type ChangeObservations, scopeChanges } from "./changes.js";
import { noCrossUserAccess, tryCrossUser } from "./cross-user.js";
import { evaluate, type ScenarioFlight } from "./evaluate.js";
import {
  type BookingScope,
  bookingStatuses,
  type FlightRow,
  flightRows,
  heldSeats,
  oversoldFlights,
  type ScopeBooking,
  scopeBookings,
  scopeProgress,
  seatCounters,
} from "./reads.js";
import { counterDrift } from "./seats.js";

export interface CheckEnv {
  /** The run's customers: with two or more, the cross-user tries run after booking scenarios. */
  customers?: readonly Account[];
  flightsSql: Sql;
  bookingsSql: Sql;
  redis: RedisClient;
  services: Services;
  settleTimeoutSeconds: number;
  log: (line: string) => void;
}

export interface CheckInput {
  scope: BookingScope;
  scenarioFlights: ScenarioFlight[];
  statsBefore: PaymentStats;
  phases: PhaseResult[];
  idempotency?: Map<string, Set<number>>;
  /** The scenario changed bookings' flights (invariants/changes.ts). */
  changes?: boolean;
}

const POLL_MS = 250;
// Requests autocannon abandoned when the phase ended still reach the services for a moment.
const LANDING_MS = 750;

/**
 * Waits (bounded) until the scenario is quiet: no booking of its scope unfinished and nothing
 * moving (newest booking, payment counts) between two polls; then until every seat counter
 * equals total − confirmed − held (live holds, such as a client's 30-minute hold, are seats
 * taken and not yet sold). Returns what it saw last.
 */
export async function settle(env: CheckEnv, input: CheckInput) {
  const started = performance.now();
  const deadline = started + env.settleTimeoutSeconds * 1000;
  await sleep(LANDING_MS);
  let previous = "";
  let unfinished: number[] = [];
  let told = false;
  for (;;) {
    const progress = await scopeProgress(env.bookingsSql, input.scope);
    const s = await env.services.paymentStats();
    unfinished = progress.unfinished;
    const signature = [progress.maxId, unfinished.length, s.success.count, s.failed.count, s.refunds.count].join();
    if ((unfinished.length === 0 && signature === previous) || performance.now() > deadline) break;
    if (unfinished.length > 0 && !told) {
      env.log(`  waiting for ${unfinished.length} unfinished bookings to settle`);
      told = true;
    }
    previous = signature;
    await sleep(POLL_MS);
  }
  const ids = input.scenarioFlights.map((f) => f.id);
  let counters = new Map<number, number>();
  let held = new Map<number, number>();
  let rows: FlightRow[] = [];
  for (;;) {
    held = await heldSeats(env.redis);
    counters = await seatCounters(env.redis);
    rows = await flightRows(env.flightsSql, [...new Set([...ids, ...counters.keys()])]);
    if (counterDrift(counters, rows, held).length === 0 || performance.now() > deadline) break;
    await sleep(POLL_MS);
  }
  return { unfinished, counters, held, rows, waitedSeconds: (performance.now() - started) / 1000 };
}

async function observeChanges(env: CheckEnv, scope: BookingScope): Promise<ChangeObservations> {
  const changes = await scopeChanges(env.bookingsSql, scope);
  const failed = changes.filter((c) => c.status === "failed");
  const records = await mapLimit(failed, 32, (c) => env.services.paymentByKey(c.payment_key));
  return { changes, failedCharges: new Map(failed.map((c, i) => [c.id, records[i] ?? null])) };
}

/** Settles, then reads PostgreSQL, Redis and payment-mock and evaluates every invariant. */
export async function checkInvariants(
  env: CheckEnv,
  input: CheckInput,
): Promise<{ invariants: InvariantResult[]; bookings: ScopeBooking[] }> {
  const settled = await settle(env, input);
  // Report drift before anything could repair it; the harness never asks for a repair.
  let reconcile: ReconcileReport | { error: string };
  try {
    reconcile = await env.services.reconcile();
  } catch (err) {
    reconcile = { error: (err as Error).message };
  }
  const [bookings, oversold, statsAfter] = await Promise.all([
    scopeBookings(env.bookingsSql, input.scope),
    oversoldFlights(env.flightsSql),
    env.services.paymentStats(),
  ]);
  const records = await mapLimit(bookings, 32, (b) => env.services.paymentByKey(b.payment_key));
  const changes = input.changes ? await observeChanges(env, input.scope) : undefined;
  const invariants = evaluate(
    {
      phases: input.phases,
      unfinished: settled.unfinished,
      waitedSeconds: settled.waitedSeconds,
      bookings,
      scenarioFlights: input.scenarioFlights,
      flightRows: settled.rows,
      counters: settled.counters,
      held: settled.held,
      oversold,
      reconcile,
      statsBefore: input.statsBefore,
      statsAfter,
      payments: new Map(bookings.map((b, i) => [b.id, records[i] ?? null])),
      ...(input.idempotency ? { idempotency: input.idempotency } : {}),
    },
    changes,
  );
  // Last: a wrongly allowed cancellation must not disturb the checks above.
  const cross = await tryCrossUser(env.services, env.customers ?? [], bookings, (ids) =>
    bookingStatuses(env.bookingsSql, ids),
  );
  if (cross) invariants.push(noCrossUserAccess(cross));
  return { invariants, bookings };
}
