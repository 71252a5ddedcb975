import type { FastifyInstance } from "fastify";
import t from "tap";
import type { LogStream } from "../../lib/fastify-options.js";
import { loadServerConfig } from "../../lib/server-config.js";
import { createServiceApp } from "../../lib/service-app.js";
import { head, rawRequest } from "../helpers/raw-http.js";

/** A service built as the real ones are, with one route; its lines go to `logStream` when given. */
async function thingsApp(t: { teardown: (fn: () => unknown) => void }, logStream?: LogStream) {
  const config = loadServerConfig({ LOG_LEVEL: logStream ? "info" : "silent" });
  const app = await createServiceApp(
    "refusals-test",
    config,
    { description: "refusals test", examples: {} },
    { logStream },
  );
  app.get("/api/things/:id", { config: { access: "anyone" as const } }, async () => ({ ok: true }));
  await app.ready();
  t.teardown(() => app.close());
  return app;
}

/** The app's http_requests_total series but /metrics' own, sorted. */
async function requestSeries(app: FastifyInstance): Promise<string[]> {
  const text = (await app.inject({ method: "GET", url: "/metrics" })).body;
  return text
    .split("\n")
    .filter((l) => l.startsWith("http_requests_total{") && !l.includes('route="/metrics"'))
    .sort();
}

// A URL the router refuses before any route runs (a broken percent-encoding, a path segment over
// 256 characters) is answered by the framework-errors handler, which no onResponse hook sees:
// such requests were in no http_requests_total series, so a scanner's traffic did not show.

t.test("requests the router refuses are counted, under no route", async (t) => {
  const app = await thingsApp(t);

  t.equal((await app.inject({ method: "GET", url: "/api/things/%E0%A4%A" })).statusCode, 400);
  t.equal((await app.inject({ method: "GET", url: `/api/things/${"9".repeat(300)}` })).statusCode, 414);
  t.equal((await app.inject({ method: "GET", url: "/api/things/1" })).statusCode, 200);

  t.same(await requestSeries(app), [
    'http_requests_total{method="GET",route="/api/things/:id",status_class="2xx"} 1',
    'http_requests_total{method="GET",route="unmatched",status_class="4xx"} 2',
  ]);
});

t.test("a refused URL's answer echoes the request id, as every answer does", async (t) => {
  const app = await thingsApp(t);
  for (const url of ["/api/things/%E0%A4%A", `/api/things/${"9".repeat(300)}`]) {
    const res = await app.inject({ method: "GET", url, headers: { "x-request-id": "refused-1" } });
    t.equal(res.headers["x-request-id"], "refused-1", url.slice(0, 20));
  }
});

// The HTTP parser's refusals (headers too large, malformed HTTP, a request not received in time)
// are answered on the socket (framework-errors.ts clientError), before Fastify makes a request:
// no hook saw them, so they were in no series, wrote no line and gave no request id.
t.test("requests the HTTP parser refuses are counted under no route and logged", async (t) => {
  const lines: string[] = [];
  const app = await thingsApp(t, { write: (line) => lines.push(line) });
  const port = Number(new URL(await app.listen({ host: "127.0.0.1", port: 0 })).port);

  const huge = await rawRequest(port, head("GET", "/api/things/1", { "x-filler": "x".repeat(20_000) }));
  t.equal(huge.status, 431);
  const garbage = await rawRequest(port, "NOT HTTP AT ALL\r\n\r\n");
  t.equal(garbage.status, 400);
  t.equal((await rawRequest(port, head("GET", "/api/things/1"))).status, 200);

  t.same(await requestSeries(app), [
    'http_requests_total{method="GET",route="/api/things/:id",status_class="2xx"} 1',
    'http_requests_total{method="unknown",route="unmatched",status_class="4xx"} 2',
  ]);
  const refused = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === "request rejected by the HTTP parser");
  t.same(
    refused.map((l) => [l.code, l.status, l.reqId]),
    [
      ["headers_too_large", 431, huge.headers["x-request-id"]],
      ["bad_request", 400, garbage.headers["x-request-id"]],
    ],
    "each line names the request id its answer gave",
  );
  t.match(huge.headers["x-request-id"], /^[0-9a-f-]{36}$/);
  t.notOk(JSON.stringify(refused).includes("xxxxxxxx"), "the request is not quoted");
});
