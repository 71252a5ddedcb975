import t from "tap";
import { loadServerConfig } from "../../lib/server-config.js";
import { createServiceApp } from "../../lib/service-app.js";
import { head, rawRequest } from "../helpers/raw-http.js";

// A URL the router refuses before any route runs (a broken percent-encoding, a path segment over
// 256 characters) is answered by the framework-errors handler, which no onResponse hook sees:
// such requests were in no http_requests_total series, so a scanner's traffic did not show.

t.test("requests the router refuses are counted, under no route", async (t) => {
  const app = await createServiceApp("router-test", loadServerConfig({ LOG_LEVEL: "silent" }), {
    description: "router refusals test",
    examples: {},
  });
  app.get("/api/things/:id", { config: { access: "anyone" as const } }, async () => ({ ok: true }));
  await app.ready();
  t.teardown(() => app.close());

  t.equal((await app.inject({ method: "GET", url: "/api/things/%E0%A4%A" })).statusCode, 400);
  t.equal((await app.inject({ method: "GET", url: `/api/things/${"9".repeat(300)}` })).statusCode, 414);
  t.equal((await app.inject({ method: "GET", url: "/api/things/1" })).statusCode, 200);

  const text = (await app.inject({ method: "GET", url: "/metrics" })).body;
  const series = text.split("\n").filter((l) => l.startsWith("http_requests_total{"));
  t.same(series.filter((l) => !l.includes('route="/metrics"')).sort(), [
    'http_requests_total{method="GET",route="/api/things/:id",status_class="2xx"} 1',
    'http_requests_total{method="GET",route="unmatched",status_class="4xx"} 2',
  ]);
});

t.test("a refused URL's answer echoes the request id, as every answer does", async (t) => {
  const app = await createServiceApp("router-test", loadServerConfig({ LOG_LEVEL: "silent" }), {
    description: "router refusals test",
    examples: {},
  });
  app.get("/api/things/:id", { config: { access: "anyone" as const } }, async () => ({ ok: true }));
  await app.ready();
  t.teardown(() => app.close());
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
  const app = await createServiceApp(
    "parser-test",
    loadServerConfig({ LOG_LEVEL: "info" }),
    { description: "parser refusals test", examples: {} },
    { logStream: { write: (line) => lines.push(line) } },
  );
  app.get("/api/things/:id", { config: { access: "anyone" as const } }, async () => ({ ok: true }));
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  t.teardown(() => app.close());
  const port = Number(new URL(url).port);

  const huge = await rawRequest(port, head("GET", "/api/things/1", { "x-filler": "x".repeat(20_000) }));
  t.equal(huge.status, 431);
  const garbage = await rawRequest(port, "NOT HTTP AT ALL\r\n\r\n");
  t.equal(garbage.status, 400);
  t.equal((await rawRequest(port, head("GET", "/api/things/1"))).status, 200);

  const text = (await app.inject({ method: "GET", url: "/metrics" })).body;
  const series = text.split("\n").filter((l) => l.startsWith("http_requests_total{"));
  t.same(series.filter((l) => !l.includes('route="/metrics"')).sort(), [
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
