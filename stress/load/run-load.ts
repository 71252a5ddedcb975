import autocannon from "autocannon";
import type { PhaseResult } from "../report/types.js";
import { LoadCollector } from "./collector.js";
import { type ProgressOut, startProgress } from "./progress.js";

/** The traffic to one service: autocannon connections looping over one dynamic request. */
export interface LoadTarget {
  /** What the report calls it: search, booking, … */
  name: string;
  url: string;
  connections: number;
  /** setupRequest builds every request afresh (path, body, headers); onResponse records outcomes. */
  request: autocannon.Request;
}

export interface LoadPhase {
  name: string;
  targets: LoadTarget[];
  durationSeconds: number;
  /** A request count instead of a duration, split across targets by their connections. */
  amount?: number;
  timeoutSeconds: number;
}

// The load under way, for haltLoad.
const running = new Set<autocannon.Instance>();
let halted = false;

/**
 * Stops the load under way and any phase that would start after it (the run was interrupted and
 * the process is about to end): each phase ends at once with what it measured.
 */
export function haltLoad(): void {
  halted = true;
  for (const instance of running) instance.stop();
}

function runOne(opts: autocannon.Options, collector: LoadCollector, target: string): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(opts, (err, result) => {
      running.delete(instance);
      if (err) reject(err);
      else resolve(result);
    });
    running.add(instance);
    instance.on("response", (_client, status, _bytes, latency) =>
      collector.response(status, latency, performance.now(), target),
    );
    instance.on("reqError", (err: unknown) =>
      collector.error(err instanceof Error && err.message === "request timed out", target),
    );
  });
}

/** Runs every target side by side and folds all their responses into one phase result. */
export async function runLoad(phase: LoadPhase, progress: ProgressOut | null): Promise<PhaseResult> {
  const collector = new LoadCollector();
  for (const t of phase.targets) collector.target(t.name, t.connections);
  if (halted) return collector.finish(phase.name);
  const connections = phase.targets.reduce((a, t) => a + t.connections, 0);
  const stop = startProgress(progress, phase.name, collector, phase.amount ? null : phase.durationSeconds);
  try {
    await Promise.all(
      phase.targets.map((t) =>
        runOne(
          {
            url: t.url,
            connections: t.connections,
            duration: phase.durationSeconds,
            ...(phase.amount
              ? { amount: Math.max(t.connections, Math.round((phase.amount * t.connections) / connections)) }
              : {}),
            timeout: phase.timeoutSeconds,
            requests: [t.request],
          },
          collector,
          t.name,
        ),
      ),
    );
  } finally {
    stop();
  }
  return collector.finish(phase.name);
}
