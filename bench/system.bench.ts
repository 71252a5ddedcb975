// Skybook as users run it, against Node stand-ins for the Go original measured in the same run:
// the services are started from dist/ as `make up` starts them (bench/lib/services.ts), the
// baselines are processes of their own (bench/lib/stand-in.ts), and the load comes from a third
// (bench/lib/load-generator.ts). Rounds alternate which side goes first, so a drift of the
// shared machine favours neither; every figure is a median with the range of its rounds.
//
// Workloads (arguments; all when none): cached-search (the original's 16 flights, then the
// 20,016 generated), decrement (one hot flight), booking (distinct users and flights), burst
// (300 bookings at once on a 20-seat flight), auth (bookings with AUTH_MODE=required vs off),
// metrics (cached search with METRICS=on vs off side by side, CPU per request first), workers
// (bookings and cached search with every service on 1 worker vs 2, FLIGHT_WORKERS etc.;
// payment-mock stays 1).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { createSql } from "../lib/postgres-plugin.js";
import { closeRedis, createRedis } from "../lib/redis-plugin.js";
import { loadDataConfig } from "../scripts/data/config.js";
import { seedFlights } from "../scripts/data/seed.js";
import { accountsAt } from "./lib/accounts.js";
import { startChildServers } from "./lib/child-servers.js";
import { pinning } from "./lib/cpu-pinning.js";
import {
  formatSpread,
  median,
  medianInterval,
  pairedRatios,
  settled,
  spread,
  type Target,
  verdict,
  verdictRows,
} from "./lib/figures.js";
import { burst, type Measured, measure, measurePair } from "./lib/load.js";
import { type BurstFigures, bookingRequest, type LoadSpec, type Requests } from "./lib/load-spec.js";
import {
  alternate,
  cpuPerRequest,
  machineCpuPerRequest,
  p99,
  type Runs,
  ratiosOf,
  report,
  rps,
  type Side,
  sideBySide,
} from "./lib/rounds.js";
import { type ServiceName, type Stack, startStack } from "./lib/services.js";
import { seatKey } from "./lib/stand-in-keys.js";
import { type StandIns, startStandIns } from "./lib/stand-ins.js";
import { storesCpu } from "./lib/store-cpu.js";

const WORKLOADS = ["cached-search", "decrement", "booking", "burst", "auth", "metrics", "workers"] as const;
type Workload = (typeof WORKLOADS)[number];

function int(name: string, fallback: number): number {
  const n = Number(process.env[name] ?? fallback);
  if (Number.isInteger(n) && n > 0) return n;
  console.error(`system bench: ${name}=${process.env[name]}: expected a whole number above 0`);
  process.exit(2);
}
const PORT_BASE = int("BENCH_PORT_BASE", 8220);
const ROUNDS = int("BENCH_ROUNDS", 3);
const SECONDS = int("BENCH_SECONDS", 5);
const WARMUP = int("BENCH_WARMUP_SECONDS", 2);
const CONNECTIONS = int("BENCH_CONNECTIONS", 50);
// Metrics must resolve a 5% effect: many short rounds, each pair measured in the same seconds.
const METRICS_ROUNDS = int("BENCH_METRICS_ROUNDS", 16);
const METRICS_SECONDS = int("BENCH_METRICS_SECONDS", 3);
const BURST = 300;
const BURST_SEATS = 20;
// A burst lasts under a second and moves ±30% from round to round: more rounds than the loads.
const BURST_ROUNDS = int("BENCH_BURST_ROUNDS", 7);
const BOOK_FLIGHTS = 2_000;
const ACCOUNTS = 16;
const DATE = "2024-02-15";
const BENCH_DATE = "2024-06-01";
const SEARCH = `/api/flights/search?source=DEL&destination=BOM&date=${DATE}`;

const asked = process.argv.slice(2);
for (const w of asked) {
  if (!(WORKLOADS as readonly string[]).includes(w)) {
    console.error(`system bench: unknown workload ${w} (known: ${WORKLOADS.join(", ")})`);
    process.exit(2);
  }
}
const wanted = (w: Workload) => asked.length === 0 || asked.includes(w);

const runDir = process.env.RUN_DIR ?? ".run/bench";
// Outside the run dir, which the throw-away infrastructure deletes when the bench ends.
const logDir = process.env.BENCH_LOG_DIR ?? ".run/bench-logs";
mkdirSync(logDir, { recursive: true });
const data = loadDataConfig();
const flightsSql = createSql(data.flightsDatabaseUrl, 2);
const bookingsSql = createSql(data.bookingsDatabaseUrl, 2);
const redis = createRedis(data.redisUrl);
// Only to find the users database's server, whose CPU a booking's notices cost (bench/lib/store-cpu.ts).
const usersSql = createSql(data.usersDatabaseUrl, 1);
/** The PostgreSQL and Redis servers' CPU seconds when they are local processes; the write paths count them. */
let stores: (() => number) | undefined;

// What `make up` gives the services, but for a payment-mock that answers at once and always
// succeeds (the original was measured so) and the original's open API unless a round says not.
const SERVICE_ENV = {
  LOG_LEVEL: "info",
  PAYMENT_LATENCY_MS: "0",
  PAYMENT_FAILURE_RATE: "0",
  PAYMENT_TIMEOUT_RATE: "0",
  AUTH_MODE: "off",
  AUTH_KEY_DIR: `${runDir}/keys`,
  LOGIN_RATE_LIMIT: "1000000",
};

const targets: Target[] = [];
const notes: string[] = [];
const summary: string[] = [];

const spec = (url: string, requests: Requests, seconds = SECONDS, warmup = WARMUP): LoadSpec => ({
  url,
  requests,
  connections: CONNECTIONS,
  warmupSeconds: warmup,
  seconds,
});

/**
 * Rounds of a baseline `a` and of `b`, alternating unless `how` is sideBySide; each side's
 * medians printed and kept for the summary.
 */
async function compare(a: Side, b: Side, rounds = ROUNDS, how = alternate): Promise<Runs> {
  const runs = await how(a, b, rounds);
  for (const [side, measured] of [
    [a, runs.a],
    [b, runs.b],
  ] as const) {
    const s = report(side.name, measured);
    summary.push(s);
    console.log(s);
  }
  return runs;
}

const cpuOf =
  (stack: Stack, ...names: ServiceName[]) =>
  () => {
    const all = stack.cpuSeconds();
    return names.reduce((sum, n) => sum + all[n], 0);
  };

async function seed(flightsPerDay: number, days: number): Promise<void> {
  await redis.flushall();
  await bookingsSql`TRUNCATE bookings, booking_legs RESTART IDENTITY CASCADE`;
  const r = await seedFlights(data, { seed: 42, flightsPerDay, days, startDate: DATE }, "replace");
  console.log(`\ndata: ${r.loaded.toLocaleString("en-US")} flights loaded into flights_db`);
}

/** Flights of the bench's own route (not DEL→BOM, so the searches do not see them); their ids. */
async function benchFlights(count: number, seats: number, tag: string): Promise<number[]> {
  const rows = await flightsSql<{ id: number }[]>`
    INSERT INTO flights (flight_number, airline, source, destination, departure_time, arrival_time, total_seats, price)
    SELECT ${tag} || g, 'Bench Air', 'ZZA', 'ZZB', ${`${BENCH_DATE}T06:00:00Z`}::timestamptz + g * interval '1 second',
           ${`${BENCH_DATE}T08:00:00Z`}::timestamptz + g * interval '1 second', ${seats}, 85.00
    FROM generate_series(1, ${count}) g RETURNING id::int`;
  return rows.map((r) => r.id);
}

async function cachedSearch(stack: Stack, label: string): Promise<void> {
  const url = `${stack.urls["flight-svc"]}${SEARCH}`;
  const body = await (await fetch(url)).text();
  const file = `${runDir}/search-body-${label.replace(/\W+/g, "-")}.json`;
  writeFileSync(file, body);
  const bare = await startChildServers("bench/lib/stand-in.ts", {}, ["bare", file]);
  try {
    console.log(`\n== cached search DEL→BOM, ${label}: ${JSON.parse(body).count} itineraries, ${body.length} bytes`);
    const runs = await compare(
      { name: `bare route (${label})`, spec: () => spec(`${bare.urls.url}/bare`, fixedGet), cpu: bare.cpuSeconds },
      { name: `Skybook cached search (${label})`, spec: () => spec(url, fixedGet), cpu: cpuOf(stack, "flight-svc") },
    );
    const cpu = ratiosOf(runs.a, runs.b, cpuPerRequest);
    console.log(`  by CPU per request (bare ÷ Skybook): ${formatSpread(spread(cpu), 2)}`);
    targets.push({
      name: `cached search, ${label}`,
      measure: "req/s ÷ bare Fastify route",
      ratios: ratiosOf(runs.b, runs.a, rps),
      bound: 0.6,
      kind: "min",
    });
  } finally {
    await bare.close();
  }
}
const fixedGet: Requests = { kind: "fixed", method: "GET" };

/**
 * The stand-ins start with their seat counts in Redis (the bench sets them); Skybook keeps its
 * counters in Redis too, loaded from PostgreSQL at a flight's first use. Reading each flight once
 * loads them, so neither side's measured requests pay for a first use.
 */
async function loadCounters(stack: Stack, flights: number[]): Promise<void> {
  const queue = [...flights];
  const reader = async () => {
    for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
      const res = await fetch(`${stack.urls["flight-svc"]}/api/flights/${id}`);
      if (res.status !== 200) throw new Error(`GET /api/flights/${id}: ${res.status}`);
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: 16 }, reader));
}

/**
 * The machine's CPU per request of the stand-in over Skybook's, the stores' included. The machine
 * has no idle core at these loads, so the req/s ratio follows this one (measured within 0.04).
 */
function printMachineCpu(runs: Runs, what: string): void {
  if (stores === undefined) return;
  const ratios = ratiosOf(runs.a, runs.b, machineCpuPerRequest);
  const line = `  the machine's CPU per ${what}, stores included (stand-in ÷ Skybook): ${formatSpread(spread(ratios), 2)}`;
  console.log(line);
  summary.push(line.trim());
}

async function decrement(stack: Stack, original: StandIns, hot: number) {
  console.log(`\n== seat decrement, one hot flight (${hot}), ${CONNECTIONS} connections`);
  await redis.set(seatKey(hot), 2_000_000_000);
  await loadCounters(stack, [hot]);
  const body = { flight_id: hot, seats: 1, date: BENCH_DATE };
  const runs = await compare(
    {
      name: "stand-in decrement (one EVALSHA)",
      spec: () => spec(`${original.flight}/decrement`, { kind: "fixed", method: "POST", body }),
      cpu: original.cpuFlight,
      stores,
    },
    {
      name: "Skybook seats/decrement",
      spec: () =>
        spec(`${stack.urls["flight-svc"]}/api/flights/seats/decrement`, { kind: "fixed", method: "POST", body }),
      cpu: cpuOf(stack, "flight-svc"),
      stores,
    },
  );
  printMachineCpu(runs, "decrement");
  targets.push({
    name: "seat decrement, one hot flight",
    measure: "req/s ÷ stand-in's one EVALSHA",
    ratios: ratiosOf(runs.b, runs.a, rps),
    bound: 0.5,
    kind: "min",
  });
}

async function booking(stack: Stack, original: StandIns, flights: number[]) {
  console.log(`\n== bookings, distinct users and flights (${flights.length} flights), ${CONNECTIONS} connections`);
  const first = flights[0] as number;
  for (const id of flights) await redis.set(seatKey(id), 5_000);
  await loadCounters(stack, flights);
  const requests: Requests = {
    kind: "bookings",
    firstFlight: first,
    flights: flights.length,
    date: BENCH_DATE,
    accounts: [],
  };
  const runs = await compare(
    {
      name: "stand-in booking chain",
      spec: () => spec(`${original.booking}/book`, requests),
      cpu: original.cpuChain,
      stores,
    },
    {
      name: "Skybook POST /api/bookings",
      spec: () => spec(`${stack.urls["booking-svc"]}/api/bookings`, requests),
      cpu: cpuOf(stack, "booking-svc", "flight-svc", "payment-mock", "user-svc"),
      stores,
    },
  );
  printMachineCpu(runs, "booking");
  targets.push(
    {
      name: "bookings/s",
      measure: "bookings/s ÷ stand-in chain's",
      ratios: ratiosOf(runs.b, runs.a, rps),
      bound: 1.2,
      kind: "min",
    },
    {
      name: "bookings p99",
      measure: "p99 ÷ stand-in chain's p99",
      ratios: ratiosOf(runs.b, runs.a, p99),
      bound: 1,
      kind: "max",
    },
  );
}

/** A burst's figures with the CPU it cost: its side's processes, and the stores (null: not local). */
interface TimedBurst extends BurstFigures {
  serviceCpuMs: number;
  storesCpuMs: number | null;
}

interface BurstPair {
  skybook: TimedBurst;
  standIn: TimedBurst;
  /** Seats confirmed in bookings_db and booked in flights_db on Skybook's flight. */
  confirmed: number;
  booked: number;
}

/** One burst on each side, each on a fresh 20-seat flight; `standInFirst` says which goes first. */
async function burstPair(stack: Stack, original: StandIns, tag: string, standInFirst: boolean): Promise<BurstPair> {
  const [mine, orig] = (await benchFlights(2, BURST_SEATS, tag)) as [number, number];
  await redis.set(seatKey(orig), BURST_SEATS);
  await loadCounters(stack, [mine]);
  const req = (id: number): Extract<Requests, { kind: "bookings" }> => ({
    kind: "bookings",
    firstFlight: id,
    flights: 1,
    date: BENCH_DATE,
    accounts: [],
  });
  // The CPU is read as the last answer arrives: work a side leaves for later (a confirm's last
  // Redis step) is left out, as it is of the time.
  const timed = async (cpu: () => number, run: () => Promise<BurstFigures>): Promise<TimedBurst> => {
    const [cpu0, stores0] = [cpu(), stores?.()];
    const figures = await run();
    const storesMs = stores && stores0 !== undefined ? (stores() - stores0) * 1000 : null;
    return { ...figures, serviceCpuMs: (cpu() - cpu0) * 1000, storesCpuMs: storesMs };
  };
  const skybookCpu = cpuOf(stack, "booking-svc", "flight-svc", "payment-mock", "user-svc");
  const skybook = () =>
    timed(skybookCpu, () =>
      burst({ url: `${stack.urls["booking-svc"]}/api/bookings`, requests: req(mine), count: BURST }),
    );
  const standIn = () =>
    timed(original.cpuChain, () => burst({ url: `${original.booking}/book`, requests: req(orig), count: BURST }));
  const first = standInFirst ? await standIn() : null;
  const s = await skybook();
  const other = first ?? (await standIn());
  const [row] = await bookingsSql<{ seats: number }[]>`
    SELECT coalesce(sum(b.seats), 0)::int AS seats FROM bookings b JOIN booking_legs l ON l.booking_id = b.id
    WHERE b.status = 'confirmed' AND l.flight_id = ${mine}`;
  const [flight] = await flightsSql<
    { booked: number }[]
  >`SELECT booked_seats AS booked FROM flights WHERE id = ${mine}`;
  return { skybook: s, standIn: other, confirmed: row?.seats ?? 0, booked: flight?.booked ?? 0 };
}

/** A burst's time, its statuses, when the last answer of each status arrived, and its CPU. */
function burstLine(b: TimedBurst): string {
  const last = Object.entries(b.lastByStatus).map(([status, ms]) => `last ${status} at ${ms}`);
  const stores = b.storesCpuMs === null ? "" : `, stores ${b.storesCpuMs.toFixed(0)} ms`;
  return (
    `${b.ms.toFixed(0)} ms ${JSON.stringify(b.statuses)} (${last.join(", ")}; ` +
    `CPU: services ${b.serviceCpuMs.toFixed(0)} ms${stores})`
  );
}

/** Medians and spreads of bursts' CPU, in ms: the side's processes, then the stores. */
function burstCpu(bursts: TimedBurst[]): string {
  const services = `services ${formatSpread(spread(bursts.map((b) => b.serviceCpuMs)))} ms`;
  const stores = bursts.map((b) => b.storesCpuMs).filter((ms): ms is number => ms !== null);
  return stores.length === bursts.length ? `${services}, stores ${formatSpread(spread(stores))} ms` : services;
}

async function burstRounds(stack: Stack, original: StandIns) {
  console.log(
    `\n== ${BURST} bookings at once on a ${BURST_SEATS}-seat flight (distinct users), ${BURST_ROUNDS} rounds after one warm-up burst each`,
  );
  const ours: number[] = [];
  const theirs: number[] = [];
  const cpu = { ours: [] as TimedBurst[], theirs: [] as TimedBurst[] };
  let oversold = 0;
  // A side's first burst runs cold on every service it crosses, on both sides alike (it took
  // 1.4–2.7× as long as the later ones): round -1 is timed, checked for oversold seats, left out.
  for (let r = -1; r < BURST_ROUNDS; r++) {
    const p = await burstPair(stack, original, `BU${r + 1}`, r < 0 || r % 2 === 0);
    oversold += Math.max(0, p.confirmed - BURST_SEATS, p.booked - BURST_SEATS);
    const line =
      `Skybook ${burstLine(p.skybook)}, ${p.confirmed} seats confirmed, ` +
      `${p.booked} booked in flights_db; stand-in ${burstLine(p.standIn)}`;
    if (r < 0) {
      console.log(`  warm-up: ${line}`);
      continue;
    }
    ours.push(p.skybook.ms);
    theirs.push(p.standIn.ms);
    cpu.ours.push(p.skybook);
    cpu.theirs.push(p.standIn);
    console.log(`  round ${r + 1}: ${line}`);
  }
  const s = `burst: Skybook ${formatSpread(spread(ours))} ms, stand-in ${formatSpread(spread(theirs))} ms until all ${BURST} answered; ${oversold} oversold`;
  const c = `burst CPU per burst: Skybook ${burstCpu(cpu.ours)}; stand-in ${burstCpu(cpu.theirs)}`;
  summary.push(s, c);
  console.log(`${s}\n${c}`);
  targets.push({
    name: `${BURST} on ${BURST_SEATS} seats, time until all answered`,
    measure: "Skybook's time ÷ stand-in chain's",
    ratios: pairedRatios(ours, theirs),
    bound: 1,
    kind: "max",
  });
  targets.push({
    name: `${BURST} on ${BURST_SEATS} seats, seats oversold`,
    measure: `seats beyond ${BURST_SEATS} in all bursts (confirmed or booked_seats)`,
    ratios: [oversold],
    bound: 0,
    kind: "max",
  });
  notes.push(
    `burst: ${oversold} seats oversold in ${BURST_ROUNDS + 1} bursts per side (bookings_db confirmed seats, flights_db booked_seats)`,
  );
}

/**
 * Two new stacks, not the main one against a new one: after the workloads before it, the main
 * stack's JIT and pools are warm where a new stack's are not, and a 3 s warm-up does not close
 * that gap (2026-12-04: 0.82 against the main stack, 1.16 with both new, the same build).
 */
async function auth(flights: number[]): Promise<void> {
  console.log(
    `\n== bookings with AUTH_MODE=required (a Bearer token from user-svc) vs off, ${CONNECTIONS} connections`,
  );
  const open = await startStack(PORT_BASE + 8, SERVICE_ENV, logDir);
  let guarded: Stack | null = null;
  try {
    guarded = await startStack(PORT_BASE + 4, { ...SERVICE_ENV, AUTH_MODE: "required" }, logDir);
    targets.push({
      name: "auth cost on bookings",
      measure: "bookings/s required ÷ off",
      ratios: await authRatios(open, guarded, flights),
      bound: 0.95,
      kind: "min",
    });
  } finally {
    await Promise.all([open.stop(), guarded?.stop()]);
  }
}

/** bookings/s with tokens on `guarded` over bookings/s without on `open`, round by round; none when not enforced. */
async function authRatios(open: Stack, guarded: Stack, flights: number[]): Promise<number[]> {
  const accounts = await accountsAt(guarded.urls["user-svc"], ACCOUNTS);
  const withTokens: Requests = {
    kind: "bookings",
    firstFlight: flights[0] as number,
    flights: flights.length,
    date: BENCH_DATE,
    accounts,
  };
  const probe = await fetch(`${guarded.urls["booking-svc"]}/api/bookings`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(bookingRequest(withTokens, 0).body),
  });
  await probe.arrayBuffer();
  if (probe.status !== 401) {
    const note = `auth: unmeasured — this build does not enforce AUTH_MODE=required (a booking without a token got ${probe.status}, not 401)`;
    console.log(`  ${note}`);
    notes.push(note);
    return [];
  }
  const without: Requests = { ...withTokens, accounts: accounts.map((a) => ({ user_id: a.user_id })) };
  // The required stack is new: both get the JIT's and the pools' warm-up before any round counts.
  await measure(spec(`${open.urls["booking-svc"]}/api/bookings`, without, 3, 0), () => 0);
  await measure(spec(`${guarded.urls["booking-svc"]}/api/bookings`, withTokens, 3, 0), () => 0);
  const runs = await compare(
    {
      name: "bookings, AUTH_MODE=off",
      spec: () => spec(`${open.urls["booking-svc"]}/api/bookings`, without),
      cpu: cpuOf(open, "booking-svc", "flight-svc", "payment-mock"),
    },
    {
      name: "bookings, AUTH_MODE=required, Bearer token",
      spec: () => spec(`${guarded.urls["booking-svc"]}/api/bookings`, withTokens),
      cpu: cpuOf(guarded, "booking-svc", "flight-svc", "payment-mock"),
    },
  );
  return ratiosOf(runs.b, runs.a, rps);
}

/**
 * Cached search on two flight-svc processes, METRICS=on and METRICS=off, started together and
 * kept warm, pinned to one core while the generator has the others (bench/lib/cpu-pinning.ts),
 * and loaded side by side: every round's two figures share the same seconds of the shared
 * machine, so its drift cancels in their ratio. Both servers get the core's time alike, so CPU
 * per request (from /proc) and req/s both show the cost; the bootstrap interval of the median
 * says whether the rounds settle the bound.
 */
async function metrics(): Promise<void> {
  console.log(
    `\n== cached search with METRICS=on vs off side by side, ${METRICS_ROUNDS} rounds of ${METRICS_SECONDS} s; ${pinning.description}`,
  );
  const start = (base: number, value: string) =>
    startStack(base, { ...SERVICE_ENV, METRICS: value }, logDir, ["flight-svc"], pinning.servers);
  const [on, off] = await Promise.all([start(PORT_BASE + 12, "on"), start(PORT_BASE + 8, "off")]);
  try {
    const onUrl = `${on.urls["flight-svc"]}${SEARCH}`;
    const offUrl = `${off.urls["flight-svc"]}${SEARCH}`;
    const [a, b] = await Promise.all([fetch(onUrl).then((r) => r.text()), fetch(offUrl).then((r) => r.text())]);
    console.log(`  the same ${a.length}-byte answer from both: ${a === b}`);
    const offSide: Side = {
      name: "cached search, METRICS=off",
      spec: () => spec(offUrl, fixedGet, METRICS_SECONDS, 1),
      cpu: cpuOf(off, "flight-svc"),
    };
    const onSide: Side = {
      name: "cached search, METRICS=on",
      spec: () => spec(onUrl, fixedGet, METRICS_SECONDS, 1),
      cpu: cpuOf(on, "flight-svc"),
    };
    // New processes: the JIT's and the caches' warm-up before any round counts.
    const zero = () => 0;
    await measurePair([spec(offUrl, fixedGet, 3, 0), spec(onUrl, fixedGet, 3, 0)], [zero, zero]);
    const runs = await compare(offSide, onSide, METRICS_ROUNDS, sideBySide);
    // A round in which a server answered nothing measured the machine, not metrics.
    const both = runs.a.flatMap((m, i) => (m.requestsPerSec > 0 && (runs.b[i]?.requestsPerSec ?? 0) > 0 ? [i] : []));
    const offRounds = both.map((i) => runs.a[i] as Measured);
    const onRounds = both.map((i) => runs.b[i] as Measured);
    for (const [name, measure, ratios] of [
      ["metrics cost, cached search (CPU)", "CPU/req off ÷ on", ratiosOf(offRounds, onRounds, cpuPerRequest)],
      ["metrics cost, cached search (req/s)", "req/s on ÷ off", ratiosOf(onRounds, offRounds, rps)],
    ] as const) {
      const interval = medianInterval(ratios);
      const line =
        `metrics: ${measure} ${median(ratios).toFixed(3)}, 90% interval of the median ` +
        `${interval[0].toFixed(3)}–${interval[1].toFixed(3)} over ${ratios.length} of ${runs.a.length} rounds: ` +
        `≥ 0.95 ${settled(interval, 0.95, "min")}`;
      summary.push(line);
      console.log(`  ${line}`);
      targets.push({ name, measure, ratios, bound: 0.95, kind: "min", interval });
    }
  } finally {
    await Promise.all([on.stop(), off.stop()]);
  }
}

/** The same stack with 1 and with 2 workers per service, side by side: what the default rests on. */
async function workers(one: Stack, flights: number[]): Promise<void> {
  console.log(`\n== workers: every service on 1 vs 2 workers (payment-mock stays 1), ${CONNECTIONS} connections`);
  const env = { ...SERVICE_ENV, FLIGHT_WORKERS: "2", BOOKING_WORKERS: "2", USER_WORKERS: "2" };
  const two = await startStack(PORT_BASE + 12, env, logDir);
  try {
    const bookings: Requests = {
      kind: "bookings",
      firstFlight: flights[0] as number,
      flights: flights.length,
      date: BENCH_DATE,
      accounts: [],
    };
    const sides = (n: number, stack: Stack) => ({
      search: {
        name: `cached search, ${n} worker(s)`,
        spec: () => spec(`${stack.urls["flight-svc"]}${SEARCH}`, fixedGet),
        cpu: cpuOf(stack, "flight-svc"),
      },
      booking: {
        name: `bookings, ${n} worker(s)`,
        spec: () => spec(`${stack.urls["booking-svc"]}/api/bookings`, bookings),
        cpu: cpuOf(stack, "booking-svc", "flight-svc", "payment-mock", "user-svc"),
      },
    });
    const [a, b] = [sides(1, one), sides(2, two)];
    // The two-worker stack is new: its JIT and pools warm up before any round counts.
    await measure(b.search.spec(), () => 0);
    await measure(b.booking.spec(), () => 0);
    for (const what of ["search", "booking"] as const) {
      const runs = await compare(a[what], b[what]);
      const s = `workers, ${what}: 2 ÷ 1 worker(s) ${formatSpread(spread(ratiosOf(runs.b, runs.a, rps)), 2)} req/s, p99 ${formatSpread(spread(ratiosOf(runs.b, runs.a, p99)), 2)}`;
      summary.push(s);
      console.log(`  ${s}`);
    }
  } finally {
    await two.stop();
  }
}

// The machine is shared: its load beside the figures says how far to trust them.
const loadAverage = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
const loadBefore = loadAverage();

// The throw-away PostgreSQL starts with fsync and synchronous_commit off, for the tests. A user's
// does not: every commit waits for its WAL flush, which group commit and the stand-in's INSERT
// must pay here too. A server the bench did not start is left as its owner set it.
const ownPg = process.env.BENCH_OWN_PG === "1";
async function durablePg(on: boolean): Promise<void> {
  for (const name of ["fsync", "synchronous_commit", "full_page_writes"]) {
    await (on
      ? flightsSql`ALTER SYSTEM SET ${flightsSql(name)} = on`
      : flightsSql`ALTER SYSTEM RESET ${flightsSql(name)}`);
  }
  await flightsSql`SELECT pg_reload_conf()`;
}
const pgSetting = async (name: string) =>
  (await flightsSql<{ v: string }[]>`SELECT current_setting(${name}) AS v`)[0]?.v;
if (ownPg) await durablePg(true);
// pg_reload_conf() signals; the server applies it a moment later.
await sleep(500);
const pgDurability = `PostgreSQL fsync ${await pgSetting("fsync")}, synchronous_commit ${await pgSetting("synchronous_commit")}${ownPg ? " (set by the bench, as a user's server runs)" : " (a server the bench did not start: as its owner set it)"}`;
let stack: Stack | null = null;
let original: StandIns | null = null;
try {
  if (wanted("cached-search")) {
    await seed(0, 1);
    stack = await startStack(PORT_BASE, SERVICE_ENV, logDir);
    await cachedSearch(stack, "16 flights");
    await stack.stop();
    stack = null;
  }
  const rest = WORKLOADS.filter((w) => w !== "cached-search" && wanted(w));
  if (wanted("cached-search") || rest.length > 0) {
    await seed(10_000, 2);
    const [hot] = await benchFlights(1, 2_000_000_000, "HOT");
    const flights = await benchFlights(BOOK_FLIGHTS, 5_000, "BK");
    stack = await startStack(PORT_BASE, SERVICE_ENV, logDir);
    if (wanted("cached-search")) await cachedSearch(stack, "20,016 flights");
    if (rest.some((w) => ["decrement", "booking", "burst"].includes(w))) {
      original = await startStandIns();
      stores = (await storesCpu([flightsSql, bookingsSql, usersSql], redis)) ?? undefined;
      if (stores === undefined) console.log("\n(PostgreSQL or Redis is not a local process: their CPU is not counted)");
      if (wanted("decrement")) await decrement(stack, original, hot as number);
      if (wanted("booking")) await booking(stack, original, flights);
      if (wanted("burst")) await burstRounds(stack, original);
      await original.close();
      original = null;
    }
    if (wanted("auth")) await auth(flights);
    if (wanted("metrics")) await metrics();
    if (wanted("workers")) await workers(stack, flights);
  }
} finally {
  await stack?.stop();
  await original?.close();
  if (ownPg) await durablePg(false);
  await Promise.all([flightsSql, bookingsSql, usersSql].map((sql) => sql.end({ timeout: 5 })));
  await closeRedis(redis);
}

const verdicts = targets.map(verdict);
console.log(
  `\n== summary (${new Date().toISOString().slice(0, 10)}, ${ROUNDS} rounds of ${SECONDS} s after ${WARMUP} s warm-up, ${CONNECTIONS} connections)`,
);
console.log(`  load average (1, 5, 15 min): ${loadBefore} at the start, ${loadAverage()} at the end`);
console.log(`  ${pgDurability}`);
for (const s of summary) console.log(`  ${s}`);
for (const n of notes) console.log(`  ${n}`);
console.log("");
for (const row of verdictRows(verdicts)) console.log(row);
console.log(
  "\ncached search ≥ 2.5 × the Go original: not measurable here (the original is not in this repository; the issue measured 2.45)",
);
