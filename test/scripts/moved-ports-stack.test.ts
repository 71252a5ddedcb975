// A second stack beside another one, moved by its ports alone as a user moves it: booking-svc
// called flight-svc on 8080 and payment-mock on 8082 whatever FLIGHT_PORT and PAYMENT_PORT said
// (every booking 503, or seats held and payments taken in the stack on the default ports), and
// `make user`, `make reconcile`, `make seed` and `make db-reset` went to PostgreSQL on 5440.
// Here everything runs on free ports, with no *_URL setting at all.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { projectPath } from "../../lib/paths.js";
import { createSql } from "../../lib/postgres-plugin.js";
import { freePort, freePortsOf } from "../helpers/free-port.js";
import { whileNoOtherBuild } from "../helpers/postgres-admin.js";

interface Outcome {
  code: number;
  output: string;
}

const dir = mkdtempSync(join(tmpdir(), "skybook-moved-ports-"));
const port = await freePortsOf(["REDIS_PORT", "PG_PORT", "FLIGHT_PORT", "BOOKING_PORT", "PAYMENT_PORT", "USER_PORT"]);
const clean: Record<string, string | undefined> = { ...process.env };
for (const k of Object.keys(clean)) if (/_URL$|^REDIS_CLUSTER_NODES$|^AUTH_KEY_DIR$/.test(k)) delete clean[k];
const env = {
  ...clean,
  ...Object.fromEntries(Object.entries(port).map(([k, v]) => [k, String(v)])),
  RUN_DIR: join(dir, "run"),
  PG_FAST: "1",
  REDIS_APPENDONLY: "no",
  LOG_LEVEL: "warn",
  DEMO_FLIGHTS_PER_DAY: "10",
  DEMO_DAYS: "2",
  PAYMENT_LATENCY_MS: "0",
  PAYMENT_FAILURE_RATE: "0",
  PAYMENT_TIMEOUT_RATE: "0",
};

function exec(file: string, args: string[], extra: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: projectPath(), env: { ...env, ...extra }, timeout: 240_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}
const make = (...args: string[]) => exec("make", ["-s", "-o", "node_modules", ...args]);
const url = (p: number) => `http://127.0.0.1:${p}`;

async function post(base: string, path: string, body: unknown, token?: string) {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
const login = (username: string, password: string) =>
  post(url(port.USER_PORT), "/api/auth/login", { username, password });

/** The environment a service of this stack was started with (its supervisor's, which it inherits). */
function environmentOf(service: string): Record<string, string> {
  const pid = readFileSync(join(env.RUN_DIR, `${service}.pid`), "utf8").trim();
  return Object.fromEntries(
    readFileSync(`/proc/${pid}/environ`, "utf8")
      .split("\0")
      .filter((kv) => kv.includes("="))
      .map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
  );
}

t.teardown(async () => {
  await exec("bash", ["scripts/services.sh", "down"]);
  await exec("bash", ["scripts/infra.sh", "clean"]);
  rmSync(dir, { recursive: true, force: true });
});

const pg = `postgres://skybook@127.0.0.1:${port.PG_PORT}`;
const flights = createSql(`${pg}/flights_db`, 1);
const bookings = createSql(`${pg}/bookings_db`, 1);
t.teardown(() => Promise.all([flights.end({ timeout: 5 }), bookings.end({ timeout: 5 })]));
const count = async (sql: typeof flights, table: string) =>
  (await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM ${sql(table)}`)[0]!.n;

const up = await whileNoOtherBuild(() => exec("bash", ["scripts/services.sh", "up"]));
t.equal(up.code, 0, "scripts/services.sh up starts the stack on the moved ports");
if (up.code !== 0) t.comment(up.output);
const demoPassword = /demo customer: username demo, password (\S+)/.exec(up.output)?.[1] ?? "";

t.test("booking-svc is given flight-svc, payment-mock and user-svc on their moved ports", async (t) => {
  t.match(environmentOf("booking-svc"), {
    FLIGHT_SERVICE_URL: url(port.FLIGHT_PORT),
    PAYMENT_SERVICE_URL: url(port.PAYMENT_PORT),
    USER_SERVICE_URL: url(port.USER_PORT),
  });
  t.match(environmentOf("flight-svc"), { USER_SERVICE_URL: url(port.USER_PORT) }, "flight-svc reads the moved JWKS");
});

// Only once the addresses are right: otherwise the calls below could reach a stack on the default ports.
const moved = (() => {
  try {
    return environmentOf("booking-svc").FLIGHT_SERVICE_URL === url(port.FLIGHT_PORT);
  } catch {
    return false;
  }
})();

t.test("the demo customer books a flight through the moved booking-svc", { skip: !moved }, async (t) => {
  const session = await login("demo", demoPassword);
  t.equal(session.status, 200, "logged in at the moved user-svc");
  const [flight] = await flights<{ id: string; day: string }[]>`
    SELECT id, to_char(departure_time AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day FROM flights
    WHERE (departure_time AT TIME ZONE 'UTC')::date = (now() AT TIME ZONE 'UTC')::date + 1 AND status = 'scheduled'
    ORDER BY departure_time LIMIT 1`;
  t.ok(flight, "a flight tomorrow in this stack's flights_db");
  const booked = await post(
    url(port.BOOKING_PORT),
    "/api/bookings",
    { flight_id: Number(flight!.id), seats: 1, date: flight!.day },
    session.body.access_token as string,
  );
  t.equal(booked.status, 200, JSON.stringify(booked.body));
  t.equal(booked.body.status, "confirmed");
  t.equal(await count(bookings, "bookings"), 1, "the booking is in this stack's bookings_db");
});

t.test("other ports for the same RUN_DIR are refused while its servers run", async (t) => {
  const other = String(await freePort());
  const runDir = realpathSync(env.RUN_DIR);
  const redis = await exec("bash", ["scripts/infra.sh", "up"], { REDIS_PORT: other });
  t.not(redis.code, 0);
  t.match(
    redis.output,
    `the redis of ${runDir} runs on port ${port.REDIS_PORT}, not on REDIS_PORT=${other}: stop it first`,
  );
  const postgres = await exec("bash", ["scripts/infra.sh", "up"], { PG_PORT: other });
  t.not(postgres.code, 0);
  t.match(postgres.output, `the postgres of ${runDir} runs on port ${port.PG_PORT}, not on PG_PORT=${other}`);
  const status = await exec("bash", ["scripts/infra.sh", "status"], { REDIS_PORT: other, PG_PORT: other });
  t.match(status.output, `redis: running (port ${port.REDIS_PORT})\npostgres: running (port ${port.PG_PORT}, `);
});

t.test("make user makes an admin who logs in at the moved user-svc", { skip: !moved }, async (t) => {
  const r = await make("user", "ARGS=--username moved-admin --password long-secret-42 --role admin");
  t.equal(r.code, 0, r.output);
  const session = await login("moved-admin", "long-secret-42");
  t.equal(session.status, 200, JSON.stringify(session.body));
});

t.test("make reconcile checks this stack's flights", { skip: !moved }, async (t) => {
  const r = await make("reconcile");
  t.equal(r.code, 0, r.output);
  t.match(r.output, `reconcile: ${await count(flights, "flights")} flights checked, 0 drifted`);
});

t.test("make seed loads into this stack's flights_db", { skip: !moved }, async (t) => {
  const r = await make("seed", "ARGS=--reset --flights-per-day 5 --days 1");
  t.equal(r.code, 0, r.output);
  t.equal(await count(flights, "flights"), 21, "16 sample flights and 5 generated");
});

t.test("make db-reset resets this stack and asks its payment-mock to forget", { skip: !moved }, async (t) => {
  const r = await make("db-reset", "ARGS=--flights-per-day 3 --days 1");
  t.match(r.output, `db-reset: flights: dropped and created ${pg}/flights_db`);
  t.match(r.output, `db-reset: bookings: dropped and created ${pg}/bookings_db`);
  t.match(r.output, `db-reset: redis: flushed redis://127.0.0.1:${port.REDIS_PORT}`);
  // With tokens required, payment-mock's reset is an admin's and db-reset sends no token: it then
  // says to restart payment-mock and fails. Either way the moved payment-mock is the one asked.
  const reset = `${url(port.PAYMENT_PORT)}/api/payments/reset`;
  const refused = r.output.includes(`db-reset: payment-mock: ${reset} answered 401`);
  t.ok(refused || r.output.includes(`db-reset: payment-mock: forgot its payments (${reset})`), r.output);
  t.equal(r.code !== 0, refused, "it fails only for the payments not forgotten");
  t.match(r.output, "db-reset: flight-svc is running: restart the services");
  t.equal(await count(bookings, "bookings"), 0, "the booking is gone");
  t.equal(await count(flights, "flights"), 19);
});

// Last: it stops the services. A second `up` started a second supervisor per service, which
// failed on the taken port (exit 2) and left its dead PID where `down` looks, so `down` stopped
// none of the four and their ports stayed taken.
t.test("up again keeps the running services, and stop stops them", async (t) => {
  const names = ["flight-svc", "booking-svc", "payment-mock", "user-svc"];
  const supervisors = () => names.map((s) => Number(readFileSync(join(env.RUN_DIR, `${s}.pid`), "utf8").trim()));
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const first = supervisors();
  t.ok(first.every(alive), "every service has a live supervisor");
  const again = await whileNoOtherBuild(() => exec("bash", ["scripts/services.sh", "up"]));
  t.equal(again.code, 0, again.output);
  for (const s of names) t.match(again.output, `services: ${s} already running (pid `);
  t.same(supervisors(), first, "the PID files still name the running supervisors");
  const stop = await exec("bash", ["scripts/services.sh", "stop"]);
  t.equal(stop.code, 0, stop.output);
  const left = first.filter(alive);
  for (const pid of left) process.kill(pid, "SIGTERM");
  t.same(left, [], "no supervisor of the first start is left");
});
