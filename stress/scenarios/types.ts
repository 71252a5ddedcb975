import type { PaymentConfigPatch } from "../../contracts/payment-mock/admin.js";
import type { Sql } from "../../lib/postgres-plugin.js";
import type { Account } from "../accounts.js";
import type { ScenarioFlight } from "../invariants/evaluate.js";
import type { SeatStores } from "../invariants/seat-assignments.js";
import type { ProgressOut } from "../load/progress.js";
import type { InvariantResult, PhaseResult } from "../report/types.js";
import type { Rng } from "../rng.js";
import type { Services } from "../services.js";
import type { ClusterControls } from "../topology/cluster-controls.js";
import type { TargetName } from "./targets.js";

export interface ScenarioOptions {
  durationSeconds: number;
  connections: number;
  /** A request count instead of the duration. */
  requests?: number;
}

export interface ScenarioEnv {
  services: Services;
  flightsSql: Sql;
  /** For scenarios that check bookings themselves (the harness's runs give it; chaos runs need not). */
  bookingsSql?: Sql;
  rng: Rng;
  progress: ProgressOut | null;
  /** Seconds autocannon waits for an answer before counting a timeout. */
  timeoutSeconds: number;
  log: (line: string) => void;
  /** The customers this run books as (their user ids scope its bookings). */
  customers: readonly Account[];
  /** A number unique to this scenario run, for flight numbers and Idempotency-Keys. */
  tag: number;
  /** --topology cluster: what the failover scenario kills and watches; null on one node. */
  cluster: ClusterControls | null;
}

export interface ScenarioRun {
  phases: PhaseResult[];
  outcomes: Record<string, number>;
  flights: ScenarioFlight[];
  idempotency?: Map<string, Set<number>>;
  /** Booking id → status as last answered, to account for the bookings in the database. */
  answered?: Map<number, string>;
  /** The scenario's own invariants, checked after the common ones (once everything settled). */
  checks?: (stores: SeatStores) => Promise<InvariantResult[]>;
  /** Invariants of the scenario's own, checked after its load (reported with the common ones). */
  invariants?: InvariantResult[];
  /** The scenario changed bookings' flights: money is checked with the changes' charges and refunds. */
  changes?: boolean;
  /** Usual invariants (by name) that one of the scenario's own checks stands for. */
  omit?: readonly string[];
}

export interface Scenario {
  name: string;
  description: string;
  defaults: { durationSeconds: number; connections: number };
  /** The load targets its phases run, for refusing an `--slo` that names none of a run's. */
  targets: readonly TargetName[];
  /** The payment-mock settings the scenario runs with (restored afterwards). */
  payment: PaymentConfigPatch;
  run(env: ScenarioEnv, opts: ScenarioOptions): Promise<ScenarioRun>;
}
