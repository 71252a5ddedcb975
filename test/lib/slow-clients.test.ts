import { setTimeout as sleep } from "node:timers/promises";
import t from "tap";
import { build } from "../helpers/payment-mock.js";
import { head, openSocket, rawRequest } from "../helpers/raw-http.js";

// A service's HTTP limits (HTTP_* settings, lib/fastify-options.ts), on payment-mock as any
// service would have them: clients too slow to send a request are answered 408 and cut off,
// idle connections do not stay, connections beyond the cap are refused, and meanwhile the
// service keeps answering everyone else.

const LIMITS = {
  HTTP_HEADERS_TIMEOUT_MS: "400",
  HTTP_REQUEST_TIMEOUT_MS: "800",
  HTTP_KEEP_ALIVE_TIMEOUT_MS: "300",
};
// Node checks deadlines every min(1 s, headers timeout); a loaded machine adds more (2.3 s seen
// under a load average of 20). Without the limits a connection would stay for minutes.
const SLACK_MS = 3_000;

const portOf = (url: string) => Number(new URL(url).port);

t.test("slow-header, idle and slow-body clients are cut off while others are served", async (t) => {
  const mock = await build(t, { env: LIMITS });
  const port = portOf(mock.url);
  const idle = await Promise.all(Array.from({ length: 20 }, () => openSocket(port)));
  const slowloris = await Promise.all(Array.from({ length: 20 }, () => openSocket(port)));
  const drip = setInterval(() => {
    for (const s of slowloris) if (!s.socket.destroyed) s.socket.write("x-a: b\r\n");
  }, 100);
  for (const s of slowloris) s.socket.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  const slowBody = await openSocket(port);
  slowBody.socket.write(
    head("POST", "/api/payments/refund", { "content-type": "application/json", "content-length": 100 }),
  );
  slowBody.socket.write("{");
  t.teardown(() => {
    clearInterval(drip);
    for (const s of [...idle, ...slowloris, slowBody]) s.socket.destroy();
  });

  const served: number[] = [];
  const until = Date.now() + 1_200;
  while (Date.now() < until) {
    served.push((await rawRequest(port, head("GET", "/health"))).status);
    await sleep(50);
  }
  t.ok(served.length >= 5, `${served.length} requests while the slow clients hang on`);
  t.ok(
    served.every((s) => s === 200),
    "every other request is answered",
  );

  const cut = await Promise.all(slowloris.map((s) => s.closed));
  for (const r of cut) {
    t.equal(r.status, 408);
    t.same(r.json, { error: "request_timeout", message: "The request was not received in time." });
  }
  const worst = Math.max(...cut.map((r) => r.closedAfterMs));
  t.ok(worst < 400 + SLACK_MS, `slow headers cut off after at most ${worst} ms`);
  const idleCut = await Promise.all(idle.map((s) => s.closed));
  const idleWorst = Math.max(...idleCut.map((r) => r.closedAfterMs));
  t.ok(idleWorst < 400 + SLACK_MS, `a connection that sends nothing is closed after at most ${idleWorst} ms`);
  const body = await slowBody.closed;
  t.equal(body.status, 408, "a body that does not arrive in time");
  t.ok(body.closedAfterMs >= 700, `not before the request timeout (${body.closedAfterMs} ms)`);
  t.ok(body.closedAfterMs < 800 + SLACK_MS, `but soon after it (${body.closedAfterMs} ms)`);
});

t.test("an idle keep-alive connection is closed after its timeout", async (t) => {
  const mock = await build(t, { env: LIMITS });
  const { socket, closed } = await openSocket(portOf(mock.url));
  t.teardown(() => socket.destroy());
  const sent = Date.now();
  socket.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  const r = await closed;
  t.equal(r.status, 200);
  const idleMs = Date.now() - sent;
  // Node 20 keeps the socket up to a second past the keep-alive timeout (its own margin for
  // requests already on the way).
  t.ok(idleMs >= 250 && idleMs < 300 + 1_000 + SLACK_MS, `closed ${idleMs} ms after the request`);
});

t.test("connections beyond HTTP_MAX_CONNECTIONS are closed as they arrive", async (t) => {
  const mock = await build(t, { env: { ...LIMITS, HTTP_MAX_CONNECTIONS: "3" } });
  const port = portOf(mock.url);
  const held = await Promise.all([1, 2, 3].map(() => openSocket(port)));
  t.teardown(() => {
    for (const s of held) s.socket.destroy();
  });
  const extra = await openSocket(port);
  const refused = await extra.closed;
  t.equal(refused.text, "", "no answer, the connection is just closed");
  t.ok(refused.closedAfterMs < 300, `at once (${refused.closedAfterMs} ms)`);
  await Promise.all(held.map((s) => s.closed));
  t.equal(
    (await rawRequest(port, head("GET", "/health"))).status,
    200,
    "once the idle ones are gone, new ones are served",
  );
});
