// `make up` with new code while the services of the earlier release still run kept them running
// ("already running") and applied the new migrations under them: an earlier flight-svc on
// flights_db's 010 answered 500 to every seat map. Pending migrations with services running are
// refused before anything is applied.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import t from "tap";
import { projectPath } from "../../lib/paths.js";
import { freePortsEnv } from "../helpers/free-port.js";
import { whileNoOtherBuild } from "../helpers/postgres-admin.js";

interface Outcome {
  code: number;
  output: string;
}

function script(args: string[], env: Record<string, string>): Promise<Outcome> {
  const clean = { ...process.env };
  for (const k of ["REDIS_URL", "FLIGHTS_DATABASE_URL", "BOOKINGS_DATABASE_URL", "USERS_DATABASE_URL", "PG_FAST"]) {
    delete clean[k];
  }
  return new Promise((resolve) => {
    execFile(
      "bash",
      args,
      { cwd: projectPath(), env: { ...clean, PG_FAST: "1", REDIS_APPENDONLY: "no", ...env }, timeout: 240_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}

function alive(pidFile: string): boolean {
  if (!existsSync(pidFile)) return false;
  try {
    process.kill(Number(readFileSync(pidFile, "utf8")), 0);
    return true;
  } catch {
    return false;
  }
}

t.test("make up over running services with a migration pending refuses, and applies nothing", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "skybook-up-over-running-"));
  const ports = await freePortsEnv([
    "REDIS_PORT",
    "PG_PORT",
    "FLIGHT_PORT",
    "BOOKING_PORT",
    "PAYMENT_PORT",
    "USER_PORT",
  ]);
  const env = { ...ports, RUN_DIR: join(dir, "run"), DEMO_FLIGHTS_PER_DAY: "10", DEMO_DAYS: "1", LOG_LEVEL: "warn" };
  t.teardown(async () => {
    await script(["scripts/services.sh", "down"], env);
    await script(["scripts/infra.sh", "clean"], env);
  });
  const first = await whileNoOtherBuild(() => script(["scripts/services.sh", "up"], env));
  t.equal(first.code, 0, first.output);

  // The stack now runs code from before flights_db's last migration: the database has not had it.
  const last = "011_flight_idempotency_keys.sql";
  const sql = postgres(`postgres://skybook@127.0.0.1:${ports.PG_PORT}/flights_db`, { max: 1, onnotice: () => {} });
  t.teardown(() => sql.end({ timeout: 5 }));
  await sql`DROP TABLE flight_idempotency_keys`;
  await sql`DELETE FROM schema_migrations WHERE name = ${last}`;

  const again = await whileNoOtherBuild(() => script(["scripts/services.sh", "up"], env));
  t.not(again.code, 0, "refused");
  t.match(again.output, `flights_db: ${last}`);
  t.match(again.output, /make down/);
  const [row] = await sql`SELECT count(*)::int AS n FROM schema_migrations WHERE name = ${last}`;
  t.equal(row?.n, 0, "the migration was not applied under the running services");
  for (const s of ["flight-svc", "booking-svc", "payment-mock", "user-svc"]) {
    t.ok(alive(join(env.RUN_DIR, `${s}.pid`)), `${s} still runs`);
  }
});
