import { execFile } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import t from "tap";
import { projectPath } from "../../lib/paths.js";
import { createSql } from "../../lib/postgres-plugin.js";
import { testFlightConfig } from "../helpers/config.js";

// Regression: flight-svc died when PostgreSQL stopped. A transaction's connection closed under
// a running query; sql.begin then wrote its ROLLBACK to the closed connection, and postgres.js
// threw from a setImmediate (TypeError: Cannot read properties of null (reading 'write')),
// which no caller can catch. scripts/patch-postgres.mjs (npm postinstall) fixes the client.

t.test("postgres.js in node_modules carries the patch", async (t) => {
  const { stderr } = await promisify(execFile)(process.execPath, [
    projectPath("scripts", "patch-postgres.mjs"),
    "--check",
  ]);
  t.equal(stderr, "");
});

t.test("a transaction whose connection is closed under it rejects; the process and the pool go on", async (t) => {
  const url = testFlightConfig().flightsDatabaseUrl;
  const sql = createSql(url, 2);
  const killer = createSql(url, 1);
  t.teardown(() => Promise.all([sql.end({ timeout: 1 }), killer.end({ timeout: 1 })]));
  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown) => uncaught.push(err);
  process.prependListener("uncaughtException", onUncaught);
  t.teardown(() => process.off("uncaughtException", onUncaught));

  let pid: number | null = null;
  const tx = sql.begin(async (tx) => {
    const [row] = await tx<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
    pid = row?.pid ?? null;
    await tx`SELECT pg_sleep(5)`;
  });
  while (pid === null) await sleep(10);
  await killer`SELECT pg_terminate_backend(${pid})`;
  await t.rejects(tx, { code: "CONNECTION_CLOSED" }, "the transaction fails like any lost connection");
  await sleep(50);
  t.same(uncaught, [], "nothing escaped to uncaughtException");
  const rows = await Promise.all([sql`SELECT 1 AS one`, sql`SELECT 2 AS two`]);
  t.same(
    rows.map((r) => r[0]),
    [{ one: 1 }, { two: 2 }],
    "both connections of the pool work again",
  );
});
