import t from "tap";
import { loadServerConfig } from "../../lib/server-config.js";
import { createServiceApp } from "../../lib/service-app.js";

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
