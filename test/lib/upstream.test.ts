import { createServer } from "node:http";
import t from "tap";
import {
  CredentialError,
  Upstream,
  UpstreamError,
  upstreamFailure,
  upstreamLogName,
  upstreamName,
  upstreamOutcome,
} from "../../lib/upstream.js";
import { freePort } from "../helpers/free-port.js";

// The upstream client tells the saga "no usable answer" in three ways, and retries only what
// cannot have reached the upstream (a refused connection), never a timeout.
t.test("answers, timeouts, refused connections and retries", async (t) => {
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    // Unref'd: the client gives up first, and the late answer must not hold the file open.
    if (req.url === "/base/slow") return void setTimeout(() => res.end("{}"), 1_500).unref();
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ path: req.url, method: req.method }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.teardown(() => new Promise((resolve) => server.close(resolve)));
  const port = (server.address() as { port: number }).port;
  // A deadline a loaded machine still meets for a plain answer, well short of the slow one.
  const up = new Upstream("test-svc", `http://127.0.0.1:${port}/base`, 600, 4);
  t.teardown(() => up.close());

  t.same(await up.call("GET", "/x"), { status: 200, body: { path: "/base/x", method: "GET" } });

  hits = 0;
  const slow = await up.call("GET", "/slow", { retries: 3 }).catch((e) => e);
  t.ok(slow instanceof UpstreamError);
  t.equal(slow.kind, "timeout");
  t.equal(hits, 1, "a timeout is not retried: the call may have been acted on");

  const closed = new Upstream("gone-svc", `http://127.0.0.1:${await freePort()}`, 100, 4);
  t.teardown(() => closed.close());
  const started = Date.now();
  const refused = await closed.call("GET", "/x", { retries: 2 }).catch((e) => e);
  t.match(refused, { name: "UpstreamError", kind: "network", message: /^gone-svc: GET \/x/ });
  t.equal(refused.unsent, true, "a refused connection never reached the upstream");
  t.ok(Date.now() - started >= 60, "two retries with backoff (20 + 40 ms)");

  const failed = up.unexpected("POST", "/y", { status: 500, body: {} });
  t.match(failed, { kind: "status", status: 500, message: /answered 500/ });

  // What a client's 503 says: an upstream that answered with an error is up, and failing.
  t.equal(upstreamOutcome(failed), "failed (HTTP 500)");
  t.equal(upstreamOutcome(slow), "did not answer");
  t.equal(upstreamOutcome(refused), "did not answer");
  t.equal(upstreamOutcome(new UpstreamError("test-svc", "open", "not sent")), "is unavailable");
});

t.test(
  "a client's 503 names the upstream that failed: the one that withheld the token, not the one called",
  async (t) => {
    t.equal(upstreamFailure(new UpstreamError("flight-svc", "timeout", "slow")), "The flight service did not answer");
    t.equal(upstreamName(new UpstreamError("payment-mock", "open", "not sent")), "The payment service");
    t.equal(upstreamName(new UpstreamError("test-svc", "network", "refused")), "test-svc");
    const refused = new CredentialError("user-svc", "booking-svc's service token", "status", "answered 401", 401);
    t.match(refused, { name: "UpstreamError", upstream: "user-svc", unsent: true, status: 401 });
    t.equal(upstreamFailure(refused), "The user service (booking-svc's service token) failed (HTTP 401)");
    const down = new CredentialError("user-svc", "booking-svc's service token", "network", "refused");
    t.equal(upstreamFailure(down), "The user service (booking-svc's service token) did not answer");
    t.equal(upstreamLogName(down), "user-svc (booking-svc's service token)", "and so does a log line");
    t.equal(upstreamLogName(new UpstreamError("flight-svc", "timeout", "slow")), "flight-svc");
  },
);
