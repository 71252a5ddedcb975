import { once } from "node:events";
import { connect, createServer, type Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import t from "tap";
import { createSql } from "../../lib/postgres-plugin.js";
import { testFlightConfig } from "../helpers/config.js";

// Regression: the chaos smoke test failed with an unhandled ECONNREFUSED while PostgreSQL was
// cut. A new connection's first statement is postgres.js' own query for the array types, whose
// promise nobody holds; the connection dropping during it rejected that promise unhandled, which
// ends a service (lib/server.ts exits on an unhandled rejection). scripts/patch-postgres.mjs
// (npm postinstall) gives the promise a handler.

/**
 * Forwards to PostgreSQL, but at the first connection that asks for the array types it stops,
 * as PostgreSQL going away does: that connection drops and new ones are refused for `awayMs`.
 */
async function awayAtArrayTypes(
  target: URL,
  awayMs: number,
): Promise<{ url: string; dropped: () => number; close: () => void }> {
  let dropped = 0;
  let closed = false;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {});
    }
    client.on("data", (chunk: Buffer) => {
      if (dropped === 0 && chunk.includes("typarray")) {
        dropped++;
        server.close();
        for (const s of sockets) s.destroy();
        setTimeout(() => closed || server.listen(port, "127.0.0.1"), awayMs);
        return;
      }
      upstream.write(chunk);
    });
    upstream.pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  const url = new URL(target.href);
  url.port = String(port);
  return {
    url: url.href,
    dropped: () => dropped,
    close: () => {
      closed = true;
      server.close();
      for (const s of sockets) s.destroy();
    },
  };
}

t.test("a connection lost while postgres.js reads the array types fails its query, nothing else", async (t) => {
  const proxy = await awayAtArrayTypes(new URL(testFlightConfig().flightsDatabaseUrl), 300);
  const sql = createSql(proxy.url, 1);
  t.teardown(async () => {
    await sql.end({ timeout: 1 });
    proxy.close();
  });
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.prependListener("unhandledRejection", onUnhandled);
  t.teardown(() => process.off("unhandledRejection", onUnhandled));

  await t.rejects(sql`SELECT 1 AS one`, { code: "ECONNREFUSED" }, "the query that opened the connection fails");
  t.equal(proxy.dropped(), 1, "the connection was dropped at the array types' query");
  await sleep(350);
  t.same(unhandled, [], "no unhandled rejection");
  t.same(await sql`SELECT 2 AS two`, [{ two: 2 }], "the pool connects again and works");
});
