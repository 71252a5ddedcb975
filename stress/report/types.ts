// The report model: what the terminal table, the JSON file and the HTML page are made from.

/** The latency figures every table shows, in order (and what --slo may bound). */
export const LATENCY_STATS = ["p50", "p90", "p95", "p99", "max"] as const;

export interface LatencySummary {
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** One second of a load phase: responses per second in it, and their latency (null: none). */
export interface TimelinePoint {
  second: number;
  requests: number;
  non2xx: number;
  p50: number | null;
  p99: number | null;
}

/** The figures of one target of a phase: search, booking, … each with its own latency. */
export interface TargetResult {
  name: string;
  connections: number;
  requests: number;
  requestsPerSecond: number;
  latencyMs: LatencySummary;
  statusCodes: Record<string, number>;
  /** Connection errors other than timeouts. */
  errors: number;
  timeouts: number;
  timeline: TimelinePoint[];
}

/** The figures of one autocannon load phase (a scenario has one or more): totals, then per target. */
export interface PhaseResult {
  name: string;
  connections: number;
  durationSeconds: number;
  requests: number;
  requestsPerSecond: number;
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
  targets: TargetResult[];
}

export interface InvariantResult {
  name: string;
  ok: boolean;
  detail: string;
  /** The invariant does not apply to this system (e.g. per-user access on an open API). */
  notApplicable?: boolean;
}

/** A latency threshold (`--slo [target:]p99=200`) checked against every phase's targets. */
export interface SloResult {
  /** "booking p99 ≤ 300 ms" */
  name: string;
  ok: boolean;
  detail: string;
}

export interface ScenarioResult {
  name: string;
  description: string;
  phases: PhaseResult[];
  /** What the traffic did, e.g. bookings confirmed / failed / refused for lack of seats. */
  outcomes: Record<string, number>;
  invariants: InvariantResult[];
  /** The latency thresholds asked for, checked against this scenario's targets. */
  slos: SloResult[];
  /** Where the answers the load saw and the bookings in the database disagree, and why. */
  reconciliation?: string;
  /** Set when the scenario could not run (setup failed); it then counts as failed. */
  error?: string;
  wallSeconds: number;
}

export interface StressReport {
  startedAt: string;
  finishedAt: string;
  seed: number;
  targets: { flight: string; booking: string; payment: string; user: string };
  scenarios: ScenarioResult[];
  /** Every invariant held in every scenario. */
  ok: boolean;
  /** Every latency threshold held (true when none was asked for). */
  sloOk: boolean;
  /**
   * The run was stopped (Ctrl-C, SIGTERM) during this scenario (none: before the first): it is
   * left out, the ones before it are reported, and the run does not pass.
   */
  interrupted?: { signal: string; scenario?: string };
}

/** Every invariant held (the latency thresholds are apart: `sloOk`). */
export function scenarioOk(s: ScenarioResult): boolean {
  return s.error === undefined && s.invariants.length > 0 && s.invariants.every((i) => i.ok);
}

export function sloOk(s: ScenarioResult): boolean {
  return s.slos.every((x) => x.ok);
}
