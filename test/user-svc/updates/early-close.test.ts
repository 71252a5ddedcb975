import { scrypt } from "node:crypto";
import t from "tap";
import { head, openSocket } from "../../helpers/raw-http.js";
import { waitFor } from "../../helpers/system.js";
import { tokenFor } from "../../helpers/updates-clients.js";
import { build } from "../../helpers/user-svc.js";

// A client can go while its request is still in the hooks: the token's signature is checked on
// libuv's pool, which user-svc's password hashing keeps busy under logins. Its socket's close then
// comes before the route has a listener for it.

const TRIES = 40;

t.test("a client gone before the route answers holds no connection, over SSE or WebSocket", async (t) => {
  const a = await build(t, { listen: true });
  const port = Number(new URL(a.url).port);
  const kinds: { kind: string; userId: number; headers: Record<string, string | number> }[] = [
    { kind: "sse", userId: 1, headers: { accept: "text/event-stream" } },
    {
      kind: "websocket",
      userId: 2,
      headers: {
        connection: "Upgrade",
        upgrade: "websocket",
        "sec-websocket-version": 13,
        "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
      },
    },
  ];
  for (const { kind, userId, headers } of kinds) {
    const authorization = `Bearer ${await tokenFor(a.app, a.config, userId)}`;
    const busy = Array.from(
      { length: 4 },
      () => new Promise((done) => scrypt("pw", "salt", 64, { N: 2 ** 14, maxmem: 64 * 2 ** 20 }, done)),
    );
    const closed = [];
    for (let i = 0; i < TRIES; i++) {
      const { socket, closed: gone } = await openSocket(port);
      socket.write(head("GET", "/api/updates", { ...headers, authorization }));
      socket.destroy();
      closed.push(gone);
    }
    await Promise.all([...closed, ...busy]);
    await waitFor(async () => a.app.updatesHub.connectionsOf(userId) === 0, 2_000);
    t.equal(a.app.updatesHub.connectionsOf(userId), 0, `${kind}: every connection let go`);
  }
});
