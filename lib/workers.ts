// Several processes of one service on one port (node:cluster), for a machine with cores to spare.
// Every worker is the whole service (its own pools, sweepers, consumers): the periodic jobs
// already share their work between instances through Redis and PostgreSQL (docs/scale-out.md).
import cluster, { type Worker } from "node:cluster";
import { gatherWorkerMetrics } from "./worker-metrics.js";

/** Exit code of a bad configuration (lib/server.ts configOrExit): a restart cannot fix it. */
const CONFIG_EXIT = 2;
// A dead worker is replaced after a back-off that doubles to at most 5 s, as scripts/supervise.sh
// does for a whole service, and starts over once a worker lasted 30 s.
const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 5_000;
const STEADY_MS = 30_000;
// How long past the workers' own shutdown timeout the primary waits before it kills them.
const KILL_GRACE_MS = 2_000;
/** What the primary sends a worker to make it drain. */
const DRAIN = "skybook:drain";

let drain: (() => void) | null = null;

/**
 * What a worker does when its primary asks it to stop: lib/server.ts registers its graceful
 * shutdown. A message rather than a signal, because a Ctrl-C reaches the whole process group:
 * the worker then has its own SIGINT already, and a forwarded signal would count as a second one.
 */
export function onDrainRequest(fn: () => void): void {
  drain = fn;
}

/**
 * Runs `start` (build the app, listen) in this process when `count` is 1, or in `count` workers
 * forked from this one, which then only looks after them: it replaces a worker that dies, passes
 * SIGTERM/SIGINT on as a drain, and exits once every worker has, with the worst exit code.
 */
export async function runWorkers(
  service: string,
  opts: { count: number; shutdownTimeoutMs: number },
  start: () => Promise<void>,
): Promise<void> {
  if (cluster.isWorker) process.on("message", (m) => m === DRAIN && drain?.());
  if (opts.count === 1 || cluster.isWorker) return start();
  superviseWorkers(service, opts.count, opts.shutdownTimeoutMs);
}

function superviseWorkers(service: string, count: number, shutdownTimeoutMs: number): void {
  const say = (line: string) => process.stderr.write(`${service}: ${line}\n`);
  /** Each worker's start time. */
  const live = new Map<Worker, number>();
  /** Workers that listen: their drain is registered (lib/server.ts registers it before listening). */
  const serving = new WeakSet<Worker>();
  const restarts = new Set<NodeJS.Timeout>();
  let stopping = false;
  let exitCode = 0;
  let delayMs = FIRST_DELAY_MS;

  const fork = () => live.set(cluster.fork(), Date.now());

  const stop = (reason: string, code: number) => {
    exitCode = Math.max(exitCode, code);
    if (stopping) return;
    stopping = true;
    say(`${reason}: draining ${live.size} worker(s)`);
    for (const t of restarts) clearTimeout(t);
    if (live.size === 0) process.exit(exitCode);
    // One still starting has nothing in flight: a signal stops it wherever it is. One whose
    // channel just closed is on its way out: the signal makes sure.
    for (const w of live.keys()) {
      if (serving.has(w)) w.send(DRAIN, (err) => err && w.process.kill("SIGTERM"));
      else w.process.kill("SIGTERM");
    }
    setTimeout(() => {
      say("workers did not stop in time, killing them");
      for (const w of live.keys()) w.process.kill("SIGKILL");
      process.exit(1);
    }, shutdownTimeoutMs + KILL_GRACE_MS).unref();
  };

  cluster.on("listening", (worker) => serving.add(worker));
  cluster.on("exit", (worker, code, signal) => {
    const startedAt = live.get(worker) ?? Date.now();
    live.delete(worker);
    const how = signal ? `killed by ${signal}` : `exit ${code}`;
    if (stopping) {
      if (serving.has(worker)) exitCode = Math.max(exitCode, code ?? 1);
      if (live.size === 0) process.exit(exitCode);
      return;
    }
    if (code === CONFIG_EXIT) return stop(`worker ${worker.process.pid} found a bad configuration`, CONFIG_EXIT);
    if (Date.now() - startedAt >= STEADY_MS) delayMs = FIRST_DELAY_MS;
    say(`worker ${worker.process.pid} died (${how}); starting another in ${delayMs / 1000} s`);
    const timer = setTimeout(() => {
      restarts.delete(timer);
      fork();
    }, delayMs);
    restarts.add(timer);
    delayMs = Math.min(delayMs * 2, MAX_DELAY_MS);
  });

  const onSignal = (signal: string) => {
    if (!stopping) return stop(signal, 0);
    // A second signal: stop now, as a single process does.
    for (const w of live.keys()) w.process.kill("SIGKILL");
    process.exit(1);
  };
  process.on("SIGTERM", () => onSignal("SIGTERM"));
  process.on("SIGINT", () => onSignal("SIGINT"));
  // The workers accept from the one listening socket themselves. Handed out by the primary
  // (round robin), a connection handed to a worker that just died is lost: its client hangs.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  // The workers' metrics cross to the primary as they are: JSON would turn a NaN gauge (the
  // event-loop lag's mean over a window with no sample) into null, merged as if it were 0.
  cluster.setupPrimary({ serialization: "advanced" });
  gatherWorkerMetrics(() => [...live.keys()].filter((w) => serving.has(w)), say);
  say(`starting ${count} workers`);
  for (let i = 0; i < count; i++) fork();
}
