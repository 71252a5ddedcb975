// Ports that move a stack move all of it: `make user`, `make reconcile`, `make db-reset` and the
// other targets that run a data script connected to PostgreSQL on 5440 and Redis on 6390 whatever
// PG_PORT and REDIS_PORT said (beside a stack on the default ports, `make db-reset` would have
// dropped its databases), and crashed with a stack trace when nothing answered there.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { projectPath } from "../../lib/paths.js";
import { createSql } from "../../lib/postgres-plugin.js";
import { seedFlights } from "../helpers/flight-svc.js";
import { freePort, freePortsEnv } from "../helpers/free-port.js";
import { withPath } from "../helpers/postgres-admin.js";

// Every setting that names a server, and every port: a test sets those it means.
const ADDRESS_SETTINGS = [
  "REDIS_URL",
  "REDIS_CLUSTER_NODES",
  "FLIGHTS_DATABASE_URL",
  "BOOKINGS_DATABASE_URL",
  "USERS_DATABASE_URL",
  "FLIGHT_SERVICE_URL",
  "BOOKING_SERVICE_URL",
  "PAYMENT_SERVICE_URL",
  "USER_SERVICE_URL",
  "SKYBOOK_API_URL",
  "REDIS_PORT",
  "PG_PORT",
  "FLIGHT_PORT",
  "BOOKING_PORT",
  "PAYMENT_PORT",
  "USER_PORT",
];

interface Outcome {
  code: number;
  output: string;
}

function exec(file: string, args: string[], env: Record<string, string>): Promise<Outcome> {
  const clean: Record<string, string | undefined> = { ...process.env };
  for (const k of ADDRESS_SETTINGS) delete clean[k];
  return new Promise((resolve) => {
    execFile(file, args, { cwd: projectPath(), env: { ...clean, ...env }, timeout: 120_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}

/** A make target as a user runs it (-o node_modules: the test installs nothing). */
const make = (args: string[], env: Record<string, string>) => exec("make", ["-s", "-o", "node_modules", ...args], env);

/** The addresses scripts/local-env.sh hands to the command it runs. */
async function localEnv(env: Record<string, string>): Promise<Record<string, string>> {
  const r = await exec("bash", ["scripts/local-env.sh", "env"], env);
  const vars: Record<string, string> = {};
  for (const line of r.output.split("\n")) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line);
    if (m && ADDRESS_SETTINGS.includes(m[1]!)) vars[m[1]!] = m[2]!;
  }
  return vars;
}

t.test("scripts/local-env.sh: every address follows the ports", async (t) => {
  const vars = await localEnv({
    REDIS_PORT: "6401",
    PG_PORT: "5451",
    FLIGHT_PORT: "8300",
    BOOKING_PORT: "8301",
    PAYMENT_PORT: "8302",
    USER_PORT: "8303",
  });
  t.match(vars, {
    REDIS_URL: "redis://127.0.0.1:6401",
    FLIGHTS_DATABASE_URL: "postgres://skybook@127.0.0.1:5451/flights_db",
    BOOKINGS_DATABASE_URL: "postgres://skybook@127.0.0.1:5451/bookings_db",
    USERS_DATABASE_URL: "postgres://skybook@127.0.0.1:5451/users_db",
    FLIGHT_SERVICE_URL: "http://127.0.0.1:8300",
    BOOKING_SERVICE_URL: "http://127.0.0.1:8301",
    PAYMENT_SERVICE_URL: "http://127.0.0.1:8302",
    USER_SERVICE_URL: "http://127.0.0.1:8303",
  });
});

t.test("scripts/local-env.sh: without ports, the default ones", async (t) => {
  t.match(await localEnv({}), {
    REDIS_URL: "redis://127.0.0.1:6390",
    FLIGHTS_DATABASE_URL: "postgres://skybook@127.0.0.1:5440/flights_db",
    USERS_DATABASE_URL: "postgres://skybook@127.0.0.1:5440/users_db",
    FLIGHT_SERVICE_URL: "http://127.0.0.1:8080",
    BOOKING_SERVICE_URL: "http://127.0.0.1:8081",
    PAYMENT_SERVICE_URL: "http://127.0.0.1:8082",
    USER_SERVICE_URL: "http://127.0.0.1:8083",
  });
});

t.test("scripts/local-env.sh: a URL that is set wins over its port; the others still follow theirs", async (t) => {
  const vars = await localEnv({
    PG_PORT: "5451",
    PAYMENT_PORT: "8302",
    USER_PORT: "8303",
    USERS_DATABASE_URL: "postgres://admin@db.example:6000/accounts",
    PAYMENT_SERVICE_URL: "https://payments.example",
  });
  t.match(vars, {
    FLIGHTS_DATABASE_URL: "postgres://skybook@127.0.0.1:5451/flights_db",
    USERS_DATABASE_URL: "postgres://admin@db.example:6000/accounts",
    PAYMENT_SERVICE_URL: "https://payments.example",
    USER_SERVICE_URL: "http://127.0.0.1:8303",
  });
});

t.test(
  "every Makefile target that runs a data script or the MCP server goes through scripts/local-env.sh",
  async (t) => {
    const recipes = readFileSync(projectPath("Makefile"), "utf8")
      .split("\n")
      .filter((l) => l.startsWith("\t") && /\b(tsx|node)\b.*\b(scripts|mcp)\/|dist\/scripts\//.test(l));
    t.ok(recipes.length >= 7, `${recipes.length} recipe lines run a script or the MCP server`);
    t.strictSame(
      recipes.filter((l) => !l.includes("scripts/local-env.sh")),
      [],
      "each through scripts/local-env.sh",
    );
  },
);

// The test's own servers, as `make run` would have started them on these ports (the URLs name this
// file's databases on them, test/helpers/isolation.ts).
const flightsUrl = process.env.FLIGHTS_DATABASE_URL ?? "";
const redisUrl = process.env.REDIS_URL ?? "";
const stores = { PG_PORT: new URL(flightsUrl).port, REDIS_PORT: new URL(redisUrl).port };

t.test("make user makes the admin in the PostgreSQL on PG_PORT", async (t) => {
  const username = `ports-admin-${process.pid}`;
  const users = createSql(withPath(flightsUrl, "/users_db"), 1);
  t.teardown(async () => {
    await users`DELETE FROM users WHERE username = ${username}`;
    await users.end({ timeout: 5 });
  });
  const r = await make(["user", `ARGS=--username ${username} --password moved-ports-pw --role admin`], stores);
  t.equal(r.code, 0, r.output);
  t.match(r.output, new RegExp(`user: created admin ${username} \\(user \\d+\\)`));
  const rows = await users<{ role: string }[]>`SELECT role FROM users WHERE username = ${username}`;
  t.strictSame(
    rows.map((r) => r.role),
    ["admin"],
    `the admin is in users_db on 127.0.0.1:${stores.PG_PORT}`,
  );
  // An operator resetting the admin's password without --role: it demoted the admin to customer.
  const reset = await make(["user", `ARGS=--username ${username} --password another-ports-pw`], stores);
  t.equal(reset.code, 0, reset.output);
  t.match(reset.output, new RegExp(`user: updated admin ${username} `));
  const [kept] = await users<{ role: string }[]>`SELECT role FROM users WHERE username = ${username}`;
  t.equal(kept?.role, "admin", "without --role the role stays");
  const demoted = await make(
    ["user", `ARGS=--username ${username} --password another-ports-pw --role customer`],
    stores,
  );
  t.match(demoted.output, new RegExp(`user: updated customer ${username} `), "--role sets it");
});

t.test("make reconcile reads the Redis on REDIS_PORT and the PostgreSQL on PG_PORT", async (t) => {
  const r = await make(["reconcile", "ARGS=--dry-run"], stores);
  t.equal(r.code, 0, r.output);
  t.match(r.output, /reconcile: \d+ flights checked, 0 drifted/);
});

t.test("a PostgreSQL that is not running is named in one line, not a stack trace", async (t) => {
  const port = await freePort();
  const r = await make(["user", "ARGS=--username nobody-here --password pw"], { ...stores, PG_PORT: String(port) });
  t.not(r.code, 0);
  t.match(
    r.output,
    `user: PostgreSQL at 127.0.0.1:${port} refused the connection: start it (make up, or scripts/infra.sh up, ` +
      "with the same PG_PORT) or name a running server with USERS_DATABASE_URL\n",
  );
  t.notMatch(r.output, /^\s+at /m, "no stack trace");
});

t.test("a Redis that is not running is named in one line too; FLIGHTS_DATABASE_URL, set, is kept", async (t) => {
  // A flight in this file's own database, so that reconcile has a counter to read in Redis.
  const flights = createSql(flightsUrl, 1);
  t.teardown(() => flights.end({ timeout: 5 }));
  await flights`TRUNCATE flights RESTART IDENTITY CASCADE`;
  await seedFlights(flights, [{}]);
  const port = await freePort();
  const r = await make(["reconcile", "ARGS=--dry-run"], {
    ...stores,
    FLIGHTS_DATABASE_URL: flightsUrl,
    REDIS_PORT: String(port),
  });
  t.not(r.code, 0);
  t.match(
    r.output,
    `reconcile: Redis at 127.0.0.1:${port} does not answer: start it (make up, or scripts/infra.sh up, ` +
      "with the same REDIS_PORT) or name a running server with REDIS_URL\n",
  );
  t.notMatch(r.output, /^\s+at /m, "no stack trace");
});

// An account login would refuse could never sign in: make user keeps registration's rules.
t.test("make user refuses what registration refuses, naming the option", async (t) => {
  const users = createSql(withPath(flightsUrl, "/users_db"), 1);
  t.teardown(() => users.end({ timeout: 5 }));
  for (const [args, option] of [
    ["--username ab --password pw", "--username"],
    ["--username bad!name --password pw", "--username"],
    [`--username ${"x".repeat(33)} --password pw`, "--username"],
    ["--username fine-name --password pw --email not-an-email", "--email"],
  ] as const) {
    const r = await make(["user", `ARGS=${args}`], stores);
    t.equal(r.code, 2, args);
    t.match(r.output, new RegExp(`^user: ${option} "[^"]*": `, "m"), args);
  }
  const made = await users`SELECT 1 FROM users WHERE username IN ('ab', 'bad!name', 'fine-name')`;
  t.equal(made.length, 0, "no account made");
});

// A port that is no port became the URL made of it, and the data script's error named that URL
// ("FLIGHT_SERVICE_URL=http://127.0.0.1:eighty"), a setting the user never set.
t.test("scripts/local-env.sh: a port that is no port is refused by name", async (t) => {
  for (const [name, value] of [
    ["FLIGHT_PORT", "eighty"],
    ["USER_PORT", "99999"],
    ["PG_PORT", "x"],
  ] as const) {
    const r = await exec("bash", ["scripts/local-env.sh", "env"], { [name]: value });
    t.equal(r.code, 2, `${name}=${value}`);
    t.equal(
      r.output,
      `local-env: invalid configuration:\n  ${name}=${value}: expected a port number from 1 to 65535\n`,
      `${name}=${value}: that one line, and nothing run`,
    );
  }
  const named = await localEnv({ FLIGHT_SERVICE_URL: "http://flights.example", FLIGHT_PORT: "eighty" });
  t.equal(named.FLIGHT_SERVICE_URL, "http://flights.example", "a port its URL replaces is not read");
});

// local-env.sh hands db-reset the URLs of the servers on REDIS_PORT / PG_PORT, and infra.sh, which
// starts none a URL names, took them for someone else's: `make db-reset` with the stack down failed
// with "PostgreSQL at 127.0.0.1:5440 refused the connection" instead of starting them as it says.
t.test(
  "make db-reset starts the Redis and PostgreSQL of REDIS_PORT and PG_PORT when they are not running",
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "skybook-db-reset-"));
    const ports = await freePortsEnv(["REDIS_PORT", "PG_PORT", "FLIGHT_PORT", "PAYMENT_PORT", "USER_PORT"]);
    const env = { ...ports, RUN_DIR: join(dir, "run"), PG_FAST: "1", REDIS_APPENDONLY: "no" };
    t.teardown(async () => {
      await exec("bash", ["scripts/infra.sh", "clean"], env);
      rmSync(dir, { recursive: true, force: true });
    });
    const r = await make(["db-reset", "ARGS=--flights-per-day 0"], env);
    t.equal(r.code, 0, r.output);
    t.match(r.output, `infra: redis ready on 127.0.0.1:${ports.REDIS_PORT}`);
    t.match(r.output, `infra: postgres ready on 127.0.0.1:${ports.PG_PORT}`);
    t.match(r.output, /db-reset: 16 flights/);
    const flights = createSql(`postgres://skybook@127.0.0.1:${ports.PG_PORT}/flights_db`, 1);
    try {
      const [row] = await flights<{ n: number }[]>`SELECT count(*)::int AS n FROM flights`;
      t.equal(row?.n, 16, "the demo flights are in the flights_db on PG_PORT");
    } finally {
      await flights.end({ timeout: 5 });
    }
  },
);
