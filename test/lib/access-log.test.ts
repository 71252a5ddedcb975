import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import t from "tap";
import { accessLogLevel } from "../../lib/access-log.js";
import { DependencyDown } from "../../lib/dependency-down.js";
import { AppError } from "../../lib/errors.js";
import { healthRoutes } from "../../lib/health.js";
import { loadServerConfig } from "../../lib/server-config.js";
import { createServiceApp } from "../../lib/service-app.js";

// Which requests write a log line: with ACCESS_LOG off (the default) only failed and slow ones,
// with it on every one; each line names the request id.

interface Line {
  level: number;
  msg: string;
  reqId?: string;
  req?: { method: string; url: string };
  res?: { statusCode: number };
  responseTime?: number;
  why?: string;
  code?: string;
  err?: { message: string; stack?: string };
  reason?: string;
}

async function appWith(env: Record<string, string>) {
  const lines: Line[] = [];
  const config = loadServerConfig({ LOG_LEVEL: "info", LOG_SLOW_MS: "150", ...env });
  const app = await createServiceApp(
    "log-test",
    config,
    { description: "access log test", examples: {} },
    { logStream: { write: (l: string) => void lines.push(JSON.parse(l) as Line) } },
  );
  const open = { config: { access: "anyone" as const } };
  app.get("/fast", open, async () => ({ ok: true }));
  app.get("/slow", open, async () => {
    await sleep(200);
    return { ok: true };
  });
  app.get("/conflict", open, async () => {
    throw new AppError("not_enough_seats", undefined, { flight_id: 7, available_seats: 2 });
  });
  app.get("/boom", open, async () => {
    throw new Error("kaput");
  });
  app.get("/outage", open, async () => {
    throw new DependencyDown("redis", "connect ECONNREFUSED");
  });
  healthRoutes(app, "log-test", {
    redis: async () => {
      throw new Error("connect ECONNREFUSED 127.0.0.1:9");
    },
    postgres: async () => "up",
  });
  // A refusal found after a wait, as most are (a lookup first): by then Node has destroyed the
  // request stream whose body was read, though the client still waits for the answer.
  const seatsBody = { type: "object", properties: { seats: { type: "integer" } }, additionalProperties: false };
  app.post("/late-conflict", { ...open, schema: { body: seatsBody } }, async () => {
    await sleep(20);
    throw new AppError("not_enough_seats", undefined, { flight_id: 7, available_seats: 2 });
  });
  // The client aborts once the handler has started (`leftStarted`), then the refusal comes.
  let started: () => void = () => {};
  const leftStarted = new Promise<void>((resolve) => {
    started = resolve;
  });
  app.get("/late-left", open, async () => {
    started();
    await sleep(300);
    throw new AppError("not_enough_seats", undefined, { flight_id: 7, available_seats: 2 });
  });
  await app.ready();
  t.teardown(() => app.close());
  const completed = () => lines.filter((l) => l.msg === "request completed");
  const hit = async (url: string) => {
    const id = `log-${url.slice(1)}-${Math.random().toString(36).slice(2, 8)}`;
    const r = await app.inject({ method: "GET", url, headers: { "x-request-id": id } });
    return { id, status: r.statusCode };
  };
  return { app, lines, completed, hit, leftStarted };
}

t.test("off by default: a fast success writes nothing, failures and slow requests write one line each", async (t) => {
  t.equal(loadServerConfig({}).accessLog, false, "ACCESS_LOG defaults to off");
  t.equal(loadServerConfig({}).logSlowMs, 1_000, "LOG_SLOW_MS defaults to 1 s");
  const { lines, completed, hit } = await appWith({});
  const fast = await hit("/fast");
  t.equal(fast.status, 200);
  t.same(
    lines.filter((l) => l.reqId === fast.id),
    [],
    "no line at all for a fast 200",
  );
  const slow = await hit("/slow");
  const conflict = await hit("/conflict");
  const boom = await hit("/boom");
  t.same(
    completed().map((l) => [l.reqId, l.req?.url, l.res?.statusCode, l.why, l.level]),
    [
      [slow.id, "/slow", 200, "slow", 40],
      [conflict.id, "/conflict", 409, "client error", 30],
      [boom.id, "/boom", 500, "server error", 50],
    ],
    "slow at warn, 4xx at info, 5xx at error, each under its request id",
  );
  t.same(
    lines.filter((l) => l.reqId === conflict.id).map((l) => [l.msg, l.code]),
    [["request completed", "not_enough_seats"]],
    "a refusal's one line names its error code",
  );
  const failed = lines.filter((l) => l.reqId === boom.id);
  t.equal(failed.length, 1, "a bug's request has one line too");
  t.equal(failed[0]?.err?.message, "kaput", "with the error");
  t.match(failed[0]?.err?.stack, /kaput/, "and its stack");
  const slowLine = completed()[0];
  t.ok((slowLine?.responseTime ?? 0) >= 150, `the slow line says how long: ${slowLine?.responseTime} ms`);
  t.notOk(
    lines.some((l) => l.msg === "incoming request"),
    "Fastify's own per-request lines are off",
  );
});

t.test("over HTTP, a refusal after the body was read writes one line; a client that left gets its own", async (t) => {
  const { app, lines, leftStarted } = await appWith({});
  await app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.server.address() as AddressInfo;
  const answer = await fetch(`http://127.0.0.1:${port}/late-conflict`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-request-id": "late-conflict-1" },
    body: JSON.stringify({ seats: 1 }),
  });
  t.equal(answer.status, 409);
  await answer.text();
  t.same(
    lines.filter((l) => l.reqId === "late-conflict-1").map((l) => [l.msg, l.code, l.res?.statusCode]),
    [["request completed", "not_enough_seats", 409]],
    "one line, naming the error code",
  );

  // Aborted once the server has the request (a fixed 50 ms let a busy machine abort it unsent).
  const abort = new AbortController();
  const left = fetch(`http://127.0.0.1:${port}/late-left`, {
    headers: { "x-request-id": "late-left-1" },
    signal: abort.signal,
  }).catch(() => undefined);
  await leftStarted;
  abort.abort();
  await left;
  const leftLines = () => lines.filter((l) => l.reqId === "late-left-1");
  for (const until = Date.now() + 5_000; leftLines().length === 0 && Date.now() < until; ) await sleep(20);
  t.same(
    leftLines().map((l) => [l.msg, l.code]),
    [["request rejected", "not_enough_seats"]],
    "the client left: the failure still has its line",
  );
});

t.test("ACCESS_LOG=on: every request gets exactly one line with its id", async (t) => {
  const { completed, hit } = await appWith({ ACCESS_LOG: "on" });
  const a = await hit("/fast");
  const b = await hit("/fast");
  const c = await hit("/conflict");
  t.same(
    completed().map((l) => [l.reqId, l.res?.statusCode, l.why]),
    [
      [a.id, 200, "access log"],
      [b.id, 200, "access log"],
      [c.id, 409, "client error"],
    ],
  );
});

t.test("LOG_LEVEL still filters: at warn a 4xx is not written, a 5xx is", async (t) => {
  const { completed, hit } = await appWith({ LOG_LEVEL: "warn", ACCESS_LOG: "on" });
  await hit("/fast");
  await hit("/conflict");
  const boom = await hit("/boom");
  t.same(
    completed().map((l) => l.reqId),
    [boom.id],
  );
});

t.test("the decision alone", async (t) => {
  const s = { accessLog: false, logSlowMs: 100 };
  t.equal(accessLogLevel(200, 99.9, s), null);
  t.same(accessLogLevel(200, 100, s), { level: "warn", why: "slow" });
  t.same(accessLogLevel(404, 1, s), { level: "info", why: "client error" });
  t.same(accessLogLevel(503, 1, s), { level: "error", why: "server error" });
  t.same(accessLogLevel(503, 500, s), { level: "error", why: "server error" }, "a slow 5xx is an error first");
  t.same(accessLogLevel(204, 1, { ...s, accessLog: true }), { level: "info", why: "access log" });
  t.equal(
    accessLogLevel(200, 0, { accessLog: false, logSlowMs: 0 })?.why,
    "slow",
    "LOG_SLOW_MS=0 logs everything as slow",
  );
});

t.test("bad settings are refused with the variable named", async (t) => {
  t.throws(() => loadServerConfig({ ACCESS_LOG: "yes" }), /ACCESS_LOG/);
  t.throws(() => loadServerConfig({ LOG_SLOW_MS: "-1" }), /LOG_SLOW_MS/);
});

t.test("a URL no route takes, or a method its resource has no route for, names its code on its line", async (t) => {
  const { app, completed } = await appWith({});
  const missing = await app.inject({ method: "GET", url: "/nowhere/7", headers: { "x-request-id": "log-404" } });
  const wrongMethod = await app.inject({ method: "DELETE", url: "/fast", headers: { "x-request-id": "log-405" } });
  t.equal(missing.statusCode, 404);
  t.equal(wrongMethod.statusCode, 405);
  t.same(
    completed().map((l) => [l.reqId, l.res?.statusCode, l.code]),
    [
      ["log-404", 404, "not_found"],
      ["log-405", 405, "method_not_allowed"],
    ],
  );
});

t.test("a 503, /ready's included, names its code and its reason on its line; a 500 its code and error", async (t) => {
  const { completed, hit } = await appWith({});
  const ready = await hit("/ready");
  const outage = await hit("/outage");
  const boom = await hit("/boom");
  t.same([ready.status, outage.status, boom.status], [503, 503, 500]);
  const lineOf = (id: string) => completed().find((l) => l.reqId === id);
  t.match(lineOf(ready.id), { code: "service_unavailable", reason: "redis: connect ECONNREFUSED 127.0.0.1:9" });
  t.match(lineOf(outage.id), { code: "service_unavailable", reason: "Redis is unavailable: connect ECONNREFUSED" });
  t.match(lineOf(boom.id), { code: "internal_error", err: { message: "kaput" } });
});
