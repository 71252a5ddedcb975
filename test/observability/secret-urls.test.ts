import t from "tap";
import WebSocket from "ws";
import { SERVICES } from "../helpers/services.js";
import { waitFor } from "../helpers/system.js";
import { openSse, openWs, tokenFor } from "../helpers/updates-clients.js";
import { build as buildUser } from "../helpers/user-svc.js";

// A browser sends its access token for /api/updates in the URL (`?access_token=`): no log line
// may show it, whichever line names the URL (a refused or slow request's, a child logger's).

const SECRET = "eyJhbGciOiJFZERTQSJ9.c2VjcmV0.c2lnbmF0dXJl";

interface Line {
  msg: string;
  url?: string;
  req?: { url: string };
  res?: { statusCode: number };
}

function capture() {
  const raw: string[] = [];
  const lines = () => raw.map((l) => JSON.parse(l) as Line);
  return { raw, lines, logStream: { write: (l: string) => void raw.push(l) } };
}

for (const { name, build } of SERVICES) {
  t.test(`${name}: a logged URL names its secret query parameters, never their values`, async (t) => {
    const { raw, lines, logStream } = capture();
    // Every request is slow, so every one has its line (/health's are otherwise filtered out).
    const app = await build({ env: { LOG_LEVEL: "info", LOG_SLOW_MS: "0" }, logStream });
    t.teardown(() => app.close());
    const get = (url: string) => app.inject({ method: "GET", url });
    t.equal((await get(`/health?access_token=${SECRET}&probe=1`)).statusCode, 400, "an unknown query parameter");
    t.equal((await get(`/nowhere?x=1&access%5Ftoken=${SECRET}`)).statusCode, 404);
    await get(`/nowhere?refresh_token=${SECRET}&client_secret=${SECRET}&password=${SECRET}&Access_Token=${SECRET}`);
    app.log.child({ url: `/api/updates?access_token=${SECRET}` }).warn("a child logger naming a URL");
    app.log.warn({ upstream: { url: `http://127.0.0.1/x?access_token=${SECRET}` } }, "a URL inside an object");
    // How @fastify/websocket names the URL of an upgrade to a route without a WebSocket handler.
    app.log.info({ path: `/api/subscriptions?access_token=${SECRET}` }, "closed incoming websocket connection");

    t.same(
      lines()
        .filter((l) => l.req)
        .map((l) => [l.res?.statusCode, l.req?.url]),
      [
        [400, "/health?access_token=[redacted]&probe=1"],
        [404, "/nowhere?x=1&access%5Ftoken=[redacted]"],
        [404, "/nowhere?refresh_token=[redacted]&client_secret=[redacted]&password=[redacted]&Access_Token=[redacted]"],
      ],
      "request lines keep the path and the other parameters",
    );
    t.match(
      lines().find((l) => l.msg === "a child logger naming a URL"),
      {
        url: "/api/updates?access_token=[redacted]",
      },
    );
    t.match(
      lines().find((l) => l.msg === "closed incoming websocket connection"),
      {
        path: "/api/subscriptions?access_token=[redacted]",
      },
    );
    t.same(
      raw.filter((l) => l.includes(SECRET)),
      [],
      "no line holds the secret",
    );
  });
}

t.test("user-svc: a valid token sent as ?access_token= is on no line, refused, slow or upgraded", async (t) => {
  const { raw, lines, logStream } = capture();
  const { app, config, url } = await buildUser(t, {
    listen: true,
    logStream,
    // Every request is slow, so every one has its line.
    env: { LOG_LEVEL: "info", LOG_SLOW_MS: "0", UPDATES_MAX_CONNECTIONS_PER_USER: "1" },
  });
  const token = await tokenFor(app, config, 1);
  const query = `access_token=${encodeURIComponent(token)}`;

  const sse = await openSse(url, {}, query);
  t.equal(sse.status, 200);
  const second = await openSse(url, {}, query);
  t.equal(second.status, 429, "over the connection limit");
  second.close();
  sse.close();
  // The server lets a connection go when it sees its socket close, which comes after the client's:
  // the WebSocket is within the limit of one only then.
  await waitFor(async () => app.updatesHub.connectionsOf(1) === 0, 5_000);
  const ws = await openWs(url, { query });
  await ws.close();
  // An upgrade where the token counts for nothing is refused like any request.
  await new Promise<void>((resolve) => {
    const socket = new WebSocket(`${url.replace(/^http/, "ws")}/api/subscriptions?${query}`);
    socket.on("error", () => resolve());
    socket.on("close", () => resolve());
  });
  await new Promise((r) => setTimeout(r, 300));

  t.ok(
    lines().some((l) => l.res?.statusCode === 429 && l.req?.url === "/api/updates?access_token=[redacted]"),
    "the 429's line names the URL without the token",
  );
  t.same(
    raw.filter((l) => l.includes(token)),
    [],
    "no line holds the token",
  );
});
