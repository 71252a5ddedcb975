// /metrics of a service run as several node:cluster workers (lib/workers.ts). Each worker counts
// only what it served, so the worker that takes a scrape asks the primary, which gathers every
// worker's families and merges them with prom-client's aggregators: counters and histograms add
// up; a family whose every worker reads the same state says so with its own aggregator (max).
import cluster, { type Worker } from "node:cluster";
import { AggregatorRegistry, Gauge, type Registry } from "prom-client";
import { AppError } from "./errors.js";

type Families = Awaited<ReturnType<Registry["getMetricsAsJSON"]>>;

/** worker → primary: a scrape arrived; the primary answers with the merged text. */
const ASK = "skybook:metrics-ask";
const ANSWER = "skybook:metrics-answer";
/** primary → every worker: its own families, sent back as a part. */
const GATHER = "skybook:metrics-gather";
const PART = "skybook:metrics-part";

// How long the primary waits for the workers' parts: well inside Prometheus' default 10 s scrape
// timeout, and plenty for a worker that is busy but alive. A worker stopped or stuck past it is
// left out of that scrape rather than holding it up.
const GATHER_MS = 2_000;
// The asking worker's own limit: the primary always answers within GATHER_MS unless it is gone.
const ANSWER_MS = GATHER_MS + 1_000;

interface Message {
  type: string;
  id: number;
}
interface Part extends Message {
  families?: Families;
  error?: string;
}
/** The merged text, or why there is none. */
interface Answer extends Message {
  text?: string;
  error?: string;
}

const isMessage = (m: unknown, type: string): m is Message =>
  typeof m === "object" && m !== null && (m as Message).type === type;

let ownFamilies: (() => Promise<Families>) | null = null;
const asked = new Map<
  number,
  { resolve: (text: string) => void; reject: (err: AppError) => void; timer: NodeJS.Timeout }
>();
let nextAsk = 0;

/**
 * In a worker: answers the primary's gathers with `read` (this worker's families) and returns
 * what the worker's /metrics serves, the merged families of every worker in Prometheus' text.
 */
export function workerScrape(read: () => Promise<Families>): () => Promise<string> {
  if (!ownFamilies) {
    process.on("message", (m: unknown) => {
      if (isMessage(m, GATHER)) sendPart(m.id);
      else if (isMessage(m, ANSWER)) settle(m as Answer);
    });
  }
  ownFamilies = read;
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = nextAsk++;
      const timer = setTimeout(() => {
        asked.delete(id);
        reject(new AppError("service_unavailable", "The service's primary process did not gather the metrics."));
      }, ANSWER_MS);
      asked.set(id, { resolve, reject, timer });
      process.send?.({ type: ASK, id } satisfies Message);
    });
}

function sendPart(id: number): void {
  (ownFamilies as () => Promise<Families>)().then(
    (families) => process.send?.({ type: PART, id, families } satisfies Part),
    (err: Error) => process.send?.({ type: PART, id, error: err.message } satisfies Part),
  );
}

function settle(answer: Answer): void {
  const waiting = asked.get(answer.id);
  if (!waiting) return;
  asked.delete(answer.id);
  clearTimeout(waiting.timer);
  if (answer.text !== undefined) waiting.resolve(answer.text);
  else waiting.reject(new AppError("service_unavailable", `The workers' metrics could not be merged: ${answer.error}`));
}

/**
 * In the primary: answers every worker's ASK with the merged families of `workers()` (those that
 * serve), gathered within GATHER_MS. A worker that fails or is late is left out, counted in
 * skybook_metrics_workers_missing and named on stderr; its late part is dropped.
 */
export function gatherWorkerMetrics(workers: () => Worker[], say: (line: string) => void): void {
  const gathers = new Map<number, (worker: Worker, part: Part) => void>();
  let nextGather = 0;
  cluster.on("message", (asker, m: unknown) => {
    if (isMessage(m, PART)) return gathers.get(m.id)?.(asker, m as Part);
    if (!isMessage(m, ASK)) return;
    const id = nextGather++;
    gather(id, workers(), gathers, say)
      .then(
        (text): Answer => ({ type: ANSWER, id: m.id, text }),
        (err: Error): Answer => ({ type: ANSWER, id: m.id, error: err.message }),
      )
      .then((answer) => asker.isConnected() && asker.send(answer));
  });
}

function gather(
  id: number,
  workers: Worker[],
  gathers: Map<number, (worker: Worker, part: Part) => void>,
  say: (line: string) => void,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const waiting = new Set(workers.filter((w) => w.isConnected()));
    const parts: Families[] = [];
    let failed = 0;
    // Once only: a send that fails after the time is up must not merge a second time.
    const finish = () => {
      if (!gathers.delete(id)) return;
      clearTimeout(timer);
      if (waiting.size > 0) {
        const pids = [...waiting].map((w) => w.process.pid).join(", ");
        say(`metrics: worker(s) ${pids} did not answer within ${GATHER_MS / 1000} s; the scrape goes without them`);
      }
      merged(parts, waiting.size + failed).then(resolve, reject);
    };
    const answered = (w: Worker) => waiting.delete(w) && waiting.size === 0 && finish();
    const timer = setTimeout(finish, GATHER_MS);
    gathers.set(id, (worker, part) => {
      if (!waiting.has(worker)) return;
      if (part.families) parts.push(part.families);
      else {
        failed++;
        say(`metrics: worker ${worker.process.pid} could not read its metrics: ${part.error}`);
      }
      answered(worker);
    });
    if (waiting.size === 0) return finish();
    for (const w of waiting) w.send({ type: GATHER, id } satisfies Message, (err: Error | null) => err && answered(w));
  });
}

/** Async so that a family the aggregators refuse fails this scrape, not the primary. */
async function merged(parts: Families[], missing: number): Promise<string> {
  const registry = AggregatorRegistry.aggregate(parts);
  new Gauge({
    name: "skybook_metrics_workers_missing",
    help: "Workers whose metrics this scrape lacks: they did not answer the primary in time or could not read them.",
    registers: [registry],
  }).set(missing);
  return registry.metrics();
}
