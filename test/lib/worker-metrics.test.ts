import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import t, { type Test } from "tap";
import { build, seedFlights } from "../helpers/flight-svc.js";
import { freePort } from "../helpers/free-port.js";
import { runServer } from "../helpers/server-process.js";
import { answeredBy, onOwnConnection, until, workersOf } from "../helpers/workers.js";

// flight-svc with FLIGHT_WORKERS=2 as a real primary and real workers on the test file's Redis and
// flights_db: requests spread over both workers, then every scrape, whichever worker takes it,
// shows what both served; the live holds, read from the one Redis by each worker, count once.

const { app } = await build(t);
const [flight] = (await seedFlights(app.sql, [{ total: 50 }])) as [number];
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = runServer("flight-svc/server.ts", {
  FLIGHT_PORT: String(port),
  FLIGHT_WORKERS: "2",
  LOG_LEVEL: "info",
  ACCESS_LOG: "on",
});
const primary = server.child as ChildProcess & { pid: number };
t.teardown(async () => {
  if (primary.exitCode !== null) return;
  const exited = once(primary, "exit");
  primary.kill("SIGTERM");
  await exited;
});
await until("both workers listening", async () =>
  server.stdout().split("Server listening").length === 3 ? true : undefined,
);

const SAMPLE = /^(\S+) (-?\d+(?:\.\d+)?(?:e[+-]?\d+)?|Nan|NaN|[+-]Inf)$/;

/** One scrape on a connection of its own: its samples, every line checked to be Prometheus text. */
async function scrape(t: Test): Promise<Map<string, number>> {
  const res = await onOwnConnection(`${base}/metrics`);
  t.equal(res.status, 200);
  const samples = new Map<string, number>();
  const bad: string[] = [];
  for (const line of (await res.text()).split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const m = SAMPLE.exec(line);
    if (m) samples.set(m[1] as string, Number(m[2]));
    else bad.push(line);
  }
  t.same(bad, [], "every sample line is name, labels and a number");
  return samples;
}

const byId = (method: string, cls: string) =>
  `http_requests_total{method="${method}",route="/api/flights/:id",status_class="${cls}"}`;

t.test("every scrape counts the requests of both workers; a shared gauge counts once", async (t) => {
  let sent = 0;
  let answered = new Set<number>();
  for (let batch = 0; batch < 20 && answered.size < 2; batch++) {
    const statuses = await Promise.all(
      Array.from({ length: 8 }, async () => (await onOwnConnection(`${base}/api/flights/${flight}`)).status),
    );
    t.same(new Set(statuses), new Set([200]));
    sent += statuses.length;
    answered = answeredBy(server.stdout(), `/api/flights/${flight}`);
  }
  t.same([...answered].sort(), (await workersOf(primary.pid)).sort(), "the reads were answered by both workers");
  const hold = await onOwnConnection(`${base}/api/flights/holds`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ flight_ids: [flight], seats: 2, ttl_seconds: 300 }),
  });
  t.equal(hold.status, 201);

  for (let i = 0; i < 6; i++) {
    const m = await scrape(t);
    t.equal(m.get(byId("GET", "2xx")), sent, `scrape ${i}: the reads of both workers`);
    t.equal(
      m.get('http_request_duration_seconds_count{method="GET",route="/api/flights/:id",status_class="2xx"}'),
      sent,
      "their latency histogram too",
    );
    t.equal(m.get('skybook_inventory_holds_total{outcome="placed"}'), 1, "a domain counter");
    t.equal(m.get("skybook_inventory_active_holds"), 1, "the one live hold in Redis, not one per worker");
    t.equal(m.get("skybook_search_schedule_flights"), 1, "each worker's copy of the timetable, not their sum");
    t.equal(m.get("skybook_metrics_workers_missing"), 0);
    t.ok((m.get("nodejs_heap_size_used_bytes") ?? 0) > 0, "process families");
    // A lag is at least the sampling interval; a window without samples is NaN, and must stay so.
    t.not(m.get("nodejs_eventloop_lag_mean_seconds"), 0, "no NaN turned into 0 on its way");
  }
});

t.test("a worker that does not answer is left out of the scrape, which still answers", async (t) => {
  const [stopped] = (await workersOf(primary.pid)) as [number];
  const before = (await scrape(t)).get(byId("GET", "2xx")) as number;
  process.kill(stopped, "SIGSTOP");
  try {
    const started = Date.now();
    const m = await scrape(t);
    t.ok(Date.now() - started < 5_000, "answered within the gather limit");
    t.equal(m.get("skybook_metrics_workers_missing"), 1);
    t.ok((m.get(byId("GET", "2xx")) ?? 0) < before, "only the other worker's reads");
    t.equal(m.get("skybook_inventory_active_holds"), 1);
    t.match(server.stderr(), `metrics: worker(s) ${stopped} did not answer within 2 s`);
  } finally {
    process.kill(stopped, "SIGCONT");
  }
  const m = await scrape(t);
  t.equal(m.get("skybook_metrics_workers_missing"), 0, "back once it runs again; its late answer was dropped");
  t.equal(m.get(byId("GET", "2xx")), before);
});
