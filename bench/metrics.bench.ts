// What /metrics costs on the hottest path: cached-search throughput of flight-svc with metrics
// on (per-route counts and latency histogram on every request, process metrics sampling) and
// off, each server in a child process of its own, the load from this one, rounds alternating.
// Compare the ratio, not the figures (the machine is shared).
import { loadFlightConfig } from "../flight-svc/config.js";
import { createSql } from "../lib/postgres-plugin.js";
import { generateSchedule, loadFlights } from "../scripts/data/generate.js";
import { startChildServers } from "./lib/child-servers.js";
import { formatLoad, type LoadResult, load, ratio } from "./lib/http.js";

const DURATION_S = 3;
const ROUNDS = 7;
const DATE = "2024-03-01";

const sql = createSql(loadFlightConfig().flightsDatabaseUrl, 2);
const rows = generateSchedule({ seed: 42, flightsPerDay: 3_000, days: 2, startDate: DATE });
await loadFlights(sql, rows, { mode: "replace" });
await sql.end({ timeout: 5 });
console.log(`network: ${rows.length} flights over 2 days`);

const on = await startChildServers("bench/lib/flight-server.ts", { METRICS: "on" });
const off = await startChildServers("bench/lib/flight-server.ts", { METRICS: "off" });
const path = "/api/flights/search?source=DEL&destination=BOM&date=2024-03-01&limit=20";
const onUrl = `${on.urls.flight}${path}`;
const offUrl = `${off.urls.flight}${path}`;
const [a, b] = await Promise.all([fetch(onUrl).then((r) => r.text()), fetch(offUrl).then((r) => r.text())]);
console.log(
  `cached search DEL→BOM: ${JSON.parse(a).count} paths, ${a.length} bytes (the same without metrics: ${a === b})`,
);
const metricsPage = await fetch(`${on.urls.flight}/metrics`);
const offPage = await fetch(`${off.urls.flight}/metrics`);
console.log(`/metrics: ${metricsPage.status} with metrics on, ${offPage.status} with them off`);

/** A load phase and the server's CPU per request: steal time moves throughput far more than CPU. */
async function measured(server: typeof on, url: string): Promise<LoadResult & { cpuUs: number }> {
  const cpu = server.cpuSeconds();
  const r = await load({ url, duration: DURATION_S });
  const used = server.cpuSeconds() - cpu;
  return { ...r, cpuUs: (used * 1e6) / Math.max(1, r.requestsPerSec * DURATION_S) };
}

const ratios: number[] = [];
const cpuRatios: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  // Which goes first alternates, so a drift of the machine's speed favours neither.
  const onFirst = r % 2 === 1;
  const withM = onFirst ? await measured(on, onUrl) : null;
  const without = await measured(off, offUrl);
  const withMetrics = withM ?? (await measured(on, onUrl));
  console.log(`${formatLoad(`metrics off, round ${r + 1}`, without)}  cpu ${without.cpuUs.toFixed(0)} µs/req`);
  console.log(`${formatLoad(`metrics on, round ${r + 1}`, withMetrics)}  cpu ${withMetrics.cpuUs.toFixed(0)} µs/req`);
  ratios.push(withMetrics.requestsPerSec / without.requestsPerSec);
  cpuRatios.push(without.cpuUs / withMetrics.cpuUs);
}
const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)] as number;
console.log(
  `  cached search with metrics / without, per round: ${[...ratios]
    .sort((p, q) => p - q)
    .map((x) => ratio(x, 1))
    .join(", ")}; median ${ratio(median(ratios), 1)} (target ≥ 95%)`,
);
console.log(`  the same by the server's CPU per request (without ÷ with): median ${ratio(median(cpuRatios), 1)}`);
await Promise.all([on.close(), off.close()]);
