import t from "tap";
import { signAccessToken } from "../../user-svc/tokens.js";
import { rawRequest } from "../helpers/raw-http.js";
import { openSse, openWs, tokenFor } from "../helpers/updates-clients.js";
import { build } from "../helpers/user-svc.js";

// /api/updates takes over its response (SSE) or its socket (WebSocket), where Fastify neither
// counts nor logs a request: each is counted once it ends, outside the latency histogram, and
// with ACCESS_LOG=on logged then with how long it lasted.

interface Line {
  msg: string;
  req?: { method: string; url: string };
  res?: { statusCode: number };
  responseTime?: number;
}

t.test("an SSE stream and a WebSocket are counted and logged when they end, not timed", async (t) => {
  const lines: Line[] = [];
  const { app, config, url } = await build(t, {
    listen: true,
    env: { ACCESS_LOG: "on", LOG_LEVEL: "info" },
    logStream: { write: (l: string) => void lines.push(JSON.parse(l) as Line) },
  });
  const token = await tokenFor(app, config, 1);
  const sse = await openSse(url, { authorization: `Bearer ${token}` });
  await new Promise((r) => setTimeout(r, 150));
  sse.close();
  const ws = await openWs(url, { token });
  await new Promise((r) => setTimeout(r, 150));
  await ws.close();
  const ended = () => lines.filter((l) => l.msg === "stream ended");
  for (let i = 0; i < 50 && ended().length < 2; i++) await new Promise((r) => setTimeout(r, 20));

  t.match(
    ended().sort((a, b) => (a.res?.statusCode ?? 0) - (b.res?.statusCode ?? 0)),
    [
      { req: { method: "GET", url: "/api/updates" }, res: { statusCode: 101 }, responseTime: Number },
      { req: { method: "GET", url: "/api/updates" }, res: { statusCode: 200 }, responseTime: Number },
    ],
  );
  for (const line of ended()) t.ok((line.responseTime as number) >= 100, `lasted ${line.responseTime} ms`);

  const metrics = (await app.inject({ method: "GET", url: "/metrics" })).body;
  const series = (name: string) => metrics.split("\n").filter((l) => l.startsWith(name) && l.includes("/api/updates"));
  t.same(series("http_requests_total").sort(), [
    'http_requests_total{method="GET",route="/api/updates",status_class="1xx"} 1',
    'http_requests_total{method="GET",route="/api/updates",status_class="2xx"} 1',
  ]);
  t.same(series("http_request_duration_seconds"), [], "a stream's duration is no request latency");
});

// Fastify runs its onResponse hooks and its request line on a taken-over response's 'finish' too:
// a stream the server ends (its token expired, a HEAD) was counted twice, its whole life put in
// the latency histogram, and logged twice, an hour-long stream as a "slow" request.
t.test("an SSE stream the server ends, and a HEAD, are counted and logged once", { timeout: 20_000 }, async (t) => {
  const lines: Line[] = [];
  const { app, config, url } = await build(t, {
    listen: true,
    env: { ACCESS_LOG: "on", LOG_LEVEL: "info" },
    logStream: { write: (l: string) => void lines.push(JSON.parse(l) as Line) },
  });
  const token = await signAccessToken(app.signingKey, { ...config.user, accessTtlSeconds: 1 }, 1, "customer");
  const sse = await openSse(url, { authorization: `Bearer ${token}` });
  await sse.ended;
  const head = await fetch(`${url}/api/updates`, {
    method: "HEAD",
    headers: { authorization: `Bearer ${await tokenFor(app, config, 1)}` },
  });
  t.equal(head.status, 200);
  const logged = () => lines.filter((l) => l.req?.url === "/api/updates");
  for (let i = 0; i < 50 && logged().length < 2; i++) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 100));

  t.match(
    logged().sort((a, b) => (a.req?.method ?? "").localeCompare(b.req?.method ?? "")),
    [
      { msg: "stream ended", req: { method: "GET" }, res: { statusCode: 200 } },
      { msg: "stream ended", req: { method: "HEAD" }, res: { statusCode: 200 } },
    ],
  );
  t.equal(logged().length, 2, "one line each");
  const metrics = (await app.inject({ method: "GET", url: "/metrics" })).body;
  const series = (name: string) => metrics.split("\n").filter((l) => l.startsWith(name) && l.includes("/api/updates"));
  t.same(series("http_requests_total").sort(), [
    'http_requests_total{method="GET",route="/api/updates",status_class="2xx"} 1',
    'http_requests_total{method="HEAD",route="/api/updates",status_class="2xx"} 1',
  ]);
  t.same(series("http_request_duration_seconds"), [], "a stream's duration is no request latency");
});

// ws refuses a handshake it cannot complete (a bad Sec-WebSocket-Key or -Version) after the route
// passed the request and took over its socket: the 400 was neither counted nor logged, unlike
// every other refusal of /api/updates (a 401, a 429).
t.test("a WebSocket handshake ws refuses is counted and logged as a refused request", async (t) => {
  const lines: (Line & { code?: string; why?: string })[] = [];
  const { app, config, url } = await build(t, {
    listen: true,
    env: { LOG_LEVEL: "info" },
    logStream: { write: (l: string) => void lines.push(JSON.parse(l) as Line) },
  });
  const token = await tokenFor(app, config, 1);
  const refused = await rawRequest(
    Number(new URL(url).port),
    `GET /api/updates HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nConnection: Upgrade\r\n` +
      "Upgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 99\r\n\r\n",
  );
  t.equal(refused.status, 400);

  t.match(
    lines.filter((l) => l.req?.url === "/api/updates"),
    [
      {
        msg: "request completed",
        req: { method: "GET" },
        res: { statusCode: 400 },
        responseTime: Number,
        why: "client error",
        code: "validation_error",
      },
    ],
  );
  const metrics = (await app.inject({ method: "GET", url: "/metrics" })).body;
  t.match(metrics, 'http_requests_total{method="GET",route="/api/updates",status_class="4xx"} 1\n');
  t.match(metrics, 'http_request_duration_seconds_count{method="GET",route="/api/updates",status_class="4xx"} 1\n');
});

// Streams are counted when they end: nothing showed how many are open now, per transport.
t.test("the open update connections are a gauge per transport", async (t) => {
  const { app, config, url } = await build(t, { listen: true });
  const open = async () => {
    const metrics = (await app.inject({ method: "GET", url: "/metrics" })).body;
    return metrics.split("\n").filter((l) => l.startsWith("skybook_updates_connections{"));
  };
  const token = await tokenFor(app, config, 1);
  const sse = await openSse(url, { authorization: `Bearer ${token}` });
  const ws = await openWs(url, { token });
  const settled = async (n: number) => {
    for (let i = 0; i < 50 && app.updatesHub.connections !== n; i++) await new Promise((r) => setTimeout(r, 20));
  };
  await settled(2);
  t.same(await open(), [
    'skybook_updates_connections{transport="sse"} 1',
    'skybook_updates_connections{transport="websocket"} 1',
  ]);
  sse.close();
  await ws.close();
  await settled(0);
  t.same(await open(), [
    'skybook_updates_connections{transport="sse"} 0',
    'skybook_updates_connections{transport="websocket"} 0',
  ]);
});
