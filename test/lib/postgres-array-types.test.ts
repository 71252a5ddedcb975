import { setTimeout as sleep } from "node:timers/promises";
import t from "tap";
import { createSql } from "../../lib/postgres-plugin.js";
import { testFlightConfig } from "../helpers/config.js";
import { TcpProxy } from "../helpers/tcp-proxy.js";

// Regression: the chaos smoke test failed with an unhandled ECONNREFUSED while PostgreSQL was
// cut. A new connection's first statement is postgres.js' own query for the array types, whose
// promise nobody holds; the connection dropping during it rejected that promise unhandled, which
// ends a service (lib/server.ts exits on an unhandled rejection). scripts/patch-postgres.mjs
// (npm postinstall) gives the promise a handler.

t.test("a connection lost while postgres.js reads the array types fails its query, nothing else", async (t) => {
  const url = testFlightConfig().flightsDatabaseUrl;
  // PostgreSQL goes away for 300 ms as the first connection asks for the array types: that
  // connection drops and the next ones are refused.
  let dropped = 0;
  const proxy: TcpProxy = await TcpProxy.start(Number(new URL(url).port), (chunk) => {
    if (dropped > 0 || !chunk.includes("typarray")) return;
    dropped++;
    void proxy.cut().then(() => setTimeout(() => void proxy.restore(), 300));
  });
  const sql = createSql(proxy.via(url), 1);
  t.teardown(async () => {
    await sql.end({ timeout: 1 });
    await proxy.cut();
  });
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.prependListener("unhandledRejection", onUnhandled);
  t.teardown(() => process.off("unhandledRejection", onUnhandled));

  await t.rejects(sql`SELECT 1 AS one`, { code: "ECONNREFUSED" }, "the query that opened the connection fails");
  t.equal(dropped, 1, "the connection was dropped at the array types' query");
  await sleep(350);
  t.same(unhandled, [], "no unhandled rejection");
  t.same(await sql`SELECT 2 AS two`, [{ two: 2 }], "the pool connects again and works");
});
