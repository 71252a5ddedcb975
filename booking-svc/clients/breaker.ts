import {
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
} from "cockatiel";
import { Counter, Gauge, type Registry } from "prom-client";
import { type CallOptions, type Credential, type Reply, Upstream, UpstreamError } from "../../lib/upstream.js";

export interface BreakerSettings {
  /** Consecutive failed calls (no answer, or a 5xx) that open the circuit. */
  failures: number;
  /** How long an open circuit refuses calls before one trial call may pass. */
  halfOpenAfterMs: number;
}

/** The breaker's state as the metric shows it. */
export const BREAKER_STATE_VALUE: Record<CircuitState, number> = {
  [CircuitState.Closed]: 0,
  [CircuitState.HalfOpen]: 1,
  [CircuitState.Open]: 2,
  [CircuitState.Isolated]: 2,
};

const NUMERIC_ID = /^\d+$/;

/**
 * Calls that share a breaker: the method and the path up to its third named segment, ids left
 * out (a flight's id comes before that: `/api/flights/:id/seat-assignments`). Each operation is a
 * breaker kept for good and a metric series, so none may be named after an id.
 */
export function operationOf(method: string, path: string): string {
  const kept: string[] = [];
  let named = 0;
  for (const segment of (path.split("?")[0] as string).split("/").slice(1)) {
    if (named === 3) break;
    if (NUMERIC_ID.test(segment)) kept.push(":id");
    else {
      kept.push(segment);
      named++;
    }
  }
  return `${method} /${kept.join("/")}`;
}

/**
 * An upstream behind circuit breakers (cockatiel), one per operation: after `failures` calls of
 * an operation in a row that got no answer or a 5xx, its calls fail at once with UpstreamError
 * kind "open" (never sent) instead of each waiting for its deadline while the service is down or
 * slow; after `halfOpenAfterMs` one call is let through, and its success closes the circuit
 * again. Per operation, because a service can be slow at one thing and quick at another
 * (payment-mock's charges time out while its lookups answer), and those quick answers must not
 * keep the slow operation's breaker closed. Whatever the caller does with an UpstreamError (a
 * booking left pending for the sweeper, a 503) stays as it is, only sooner.
 */
export class BreakerUpstream extends Upstream {
  private readonly breakers = new Map<string, CircuitBreakerPolicy>();
  /** When each operation's circuit last opened. */
  private readonly openedAt = new Map<string, number>();
  /** Calls refused while a circuit was open. */
  refused = 0;

  constructor(
    name: string,
    baseUrl: string,
    timeoutMs: number,
    connections: number,
    credential: Credential | undefined,
    private readonly settings: BreakerSettings,
  ) {
    super(name, baseUrl, timeoutMs, connections, credential);
  }

  /**
   * Each operation's breaker state as the metric shows it (0 closed, 1 half-open, 2 open). An open
   * circuit whose wait is over lets its next call through as a trial, but cockatiel moves it to
   * half-open only when that call comes: with no traffic it read open long after its upstream was
   * back, on an idle service for good.
   */
  states(): [operation: string, state: number][] {
    const now = Date.now();
    return [...this.breakers].map(([op, b]) => {
      const waited = now - (this.openedAt.get(op) ?? now) >= this.settings.halfOpenAfterMs;
      return [op, b.state === CircuitState.Open && waited ? 1 : BREAKER_STATE_VALUE[b.state]];
    });
  }

  private breakerFor(operation: string): CircuitBreakerPolicy {
    let breaker = this.breakers.get(operation);
    if (!breaker) {
      const failure = handleWhen((err) => err instanceof UpstreamError && err.kind !== "open").orWhenResult(
        (r) => (r as Reply).status >= 500,
      );
      breaker = circuitBreaker(failure, {
        halfOpenAfter: this.settings.halfOpenAfterMs,
        breaker: new ConsecutiveBreaker(this.settings.failures),
      });
      breaker.onBreak(() => this.openedAt.set(operation, Date.now()));
      this.breakers.set(operation, breaker);
    }
    return breaker;
  }

  /**
   * The breaker measures the calls sent, once their credential has come: a call whose credential
   * did not come (user-svc failed, not this upstream) never reaches it, so it neither opens the
   * circuit (its 503s' wording, its metric) nor, as cockatiel counts an error it does not handle
   * as a half-open circuit's successful trial, closes it with this upstream still down.
   */
  protected override async send<T>(method: string, path: string, opts: CallOptions): Promise<Reply<T>> {
    try {
      return await this.breakerFor(operationOf(method, path)).execute(() => super.send<T>(method, path, opts));
    } catch (err) {
      if (err instanceof BrokenCircuitError) {
        this.refused++;
        throw new UpstreamError(this.name, "open", `${method} ${path} not sent: circuit open after repeated failures`);
      }
      throw err;
    }
  }
}

/** skybook_upstream_circuit_state{upstream,operation} (0 closed, 1 half-open, 2 open) and the calls refused. */
export function registerBreakerMetrics(registry: Registry, upstreams: BreakerUpstream[]): void {
  // Each worker has its own breakers: the worst state among them, as an open one refuses calls.
  new Gauge({
    name: "skybook_upstream_circuit_state",
    help: "Circuit breaker of each upstream operation: 0 closed, 1 half-open (one trial call), 2 open (calls fail at once).",
    labelNames: ["upstream", "operation"],
    aggregator: "max",
    registers: [registry],
    collect() {
      for (const u of upstreams)
        for (const [operation, state] of u.states()) this.set({ upstream: u.name, operation }, state);
    },
  });
  // A counter, so that rate() and increase() read a restart's return to 0 as a reset, not a fall.
  new Counter({
    name: "skybook_upstream_circuit_refused_calls_total",
    help: "Calls refused at once by an open circuit since start, by upstream.",
    labelNames: ["upstream"],
    registers: [registry],
    collect() {
      this.reset();
      for (const u of upstreams) this.inc({ upstream: u.name }, u.refused);
    },
  });
  // Deprecated: the count's name before it became the counter above, kept with the same value so
  // that dashboards and alerts built on it still read it. Each worker's breakers are its own: sum.
  new Gauge({
    name: "skybook_upstream_circuit_refused_calls",
    help: "Deprecated: use skybook_upstream_circuit_refused_calls_total with rate(). The same count as a gauge.",
    labelNames: ["upstream"],
    aggregator: "sum",
    registers: [registry],
    collect() {
      for (const u of upstreams) this.set({ upstream: u.name }, u.refused);
    },
  });
}
