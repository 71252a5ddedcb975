import t from "tap";
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
