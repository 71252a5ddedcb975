// `make up` with new code while the services of the earlier release still run kept them running
// ("already running") and applied the new migrations under them: an earlier flight-svc on
// flights_db's 010 answered 500 to every seat map. Pending migrations with services running are
// refused before anything is applied.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import t from "tap";
import { freePortsEnv } from "../helpers/free-port.js";
import { whileNoOtherBuild } from "../helpers/postgres-admin.js";
import { alive, script } from "../helpers/run-script.js";

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
