// The report model: what the terminal table, the JSON file and the HTML page are made from.

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** One second of a load phase: responses per second in it, and their latency. */
export interface TimelinePoint {
  second: number;
  requests: number;
  non2xx: number;
  p50: number;
  p99: number;
}

/** The figures of one autocannon load phase (a scenario has one or more). */
export interface PhaseResult {
  name: string;
  connections: number;
  durationSeconds: number;
  requests: number;
  requestsPerSecond: number;
  latencyMs: LatencySummary;
  statusCodes: Record<string, number>;
  /** Connection errors other than timeouts. */
  errors: number;
  timeouts: number;
  timeline: TimelinePoint[];
}

export interface InvariantResult {
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
  /** Set when the scenario could not run (setup failed); it then counts as failed. */
  error?: string;
  wallSeconds: number;
}

export interface StressReport {
  startedAt: string;
  finishedAt: string;
  seed: number;
  targets: { flight: string; booking: string; payment: string };
  scenarios: ScenarioResult[];
  ok: boolean;
}

export function scenarioOk(s: ScenarioResult): boolean {
  return s.error === undefined && s.invariants.length > 0 && s.invariants.every((i) => i.ok);
}
