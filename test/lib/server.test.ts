import { once } from "node:events";
import { Agent, request } from "node:http";
import t from "tap";
import { CHILD_START_MS } from "../helpers/child-start.js";
import { runServer } from "../helpers/server-process.js";

/** The address a server (with LOG_LEVEL info) says it listens at; it is killed on teardown. */
async function listening(
  t: { teardown: (fn: () => unknown) => void },
  server: ReturnType<typeof runServer>,
): Promise<string> {
  t.teardown(() => {
    if (server.child.exitCode === null) server.child.kill("SIGKILL");
  });
  for (const deadline = Date.now() + CHILD_START_MS; Date.now() < deadline; ) {
    const address = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(server.stdout())?.[1];
    if (address) return address;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the server did not start:\n${server.stdout()}`);
}

t.test("a bad setting stops the service with a message naming it", async (t) => {
  const { child, stderr } = runServer("flight-svc/server.ts", { FLIGHT_PORT: "eighty", MAX_LAYOVER_MINUTES: "0" });
  const [code] = await once(child, "exit");
  t.equal(code, 2);
  t.match(stderr(), /flight-svc: invalid configuration/);
  t.match(stderr(), /FLIGHT_PORT=eighty: expected an integer from 0 to 65535/);
  t.match(stderr(), /MAX_LAYOVER_MINUTES=0: expected an integer from 1 to 2880/);
});

t.test("a HOST the service cannot listen on stops it with exit 2, naming HOST, as a bad setting", async (t) => {
  // Not an address of this machine, and a name nothing resolves: a restart would fail the same way.
  for (const host of ["192.0.2.1", "no-such-host.invalid"]) {
    const { child, stdout } = runServer("payment-mock/server.ts", {
      HOST: host,
      PAYMENT_PORT: "0",
      LOG_LEVEL: "error",
    });
    const [code] = await once(child, "exit");
    t.equal(code, 2, host);
    t.match(stdout(), `could not listen on HOST=${host}, port 0`);
  }
});

t.test("SIGTERM lets the request in flight finish, then the service exits cleanly", async (t) => {
  const server = runServer("payment-mock/server.ts", {
    PAYMENT_PORT: "0",
    LOG_LEVEL: "info",
    PAYMENT_LATENCY_MS: "2000",
    PAYMENT_FAILURE_RATE: "0",
    PAYMENT_TIMEOUT_RATE: "0",
  });
  const { child } = server;
  const address = await listening(t, server);

  // The request must be in the handler before SIGTERM, or it is refused as one arriving while
  // the service drains (503). A first request warms both sides' code; on a loaded machine 200 ms
  // did not always bring the second one in.
  t.equal((await fetch(`${address}/health`)).status, 200);
  const inFlight = fetch(`${address}/api/payments/process`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ booking_id: 1, amount: 100, user_id: 1, payment_type: "upi" }),
  });
  await new Promise((r) => setTimeout(r, 800));
  child.kill("SIGTERM");
  const res = await inFlight;
  t.equal(res.status, 200, "the request in flight got its answer");
  t.match(await res.json(), { status: "success" });
  const [code] = await once(child, "exit");
  t.equal(code, 0, "exited through app.close()");
  await t.rejects(fetch(`${address}/health`), "no longer accepting connections");
});

/** A GET on `agent`: its status, Connection header and whether it went on a kept-alive connection. */
function get(agent: Agent, url: string) {
  return new Promise<{ status: number; connection: string | undefined; reused: boolean }>((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, reused: req.reusedSocket }),
      );
    });
    req.on("error", reject).end();
  });
}

t.test(
  "with SHUTDOWN_DRAIN_MS a stopping service answers on its open keep-alive connections, closing each after its answer",
  async (t) => {
    // A load balancer's pooled connection to an instance that begins to stop: a request sent on it
    // must get its answer (not a 503, not a cut connection) and the connection must then end, so
    // the balancer opens its next one to an instance that stays.
    const server = runServer("payment-mock/server.ts", {
      PAYMENT_PORT: "0",
      LOG_LEVEL: "info",
      SHUTDOWN_DRAIN_MS: "1500",
    });
    const { child } = server;
    const address = await listening(t, server);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    t.teardown(() => agent.destroy());

    const first = await get(agent, `${address}/health`);
    t.equal(first.status, 200);
    t.equal((await fetch(`${address}/ready`)).status, 200, "ready before the signal");
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    const during = await get(agent, `${address}/health`);
    t.equal(during.status, 200, "answered while draining");
    t.ok(during.reused, "on the connection opened before the signal");
    t.equal(during.connection, "close", "which then ends");
    const fresh = await get(agent, `${address}/health`);
    t.equal(fresh.status, 200, "a new connection is still accepted while draining");
    const ready = await fetch(`${address}/ready`);
    t.equal(ready.status, 503, "not ready, for a balancer that polls /ready");
    t.match(await ready.json(), { error: "service_unavailable", message: "Not ready: stopping." });
    const [code] = await exited;
    t.equal(code, 0);
    await t.rejects(fetch(`${address}/health`), "the port closed after the drain");
  },
);

for (const kind of ["exception", "rejection"] as const) {
  t.test(`an unhandled ${kind} is logged, the requests in flight finish, then the process exits 1`, async (t) => {
    const server = runServer("test/helpers/crashing-server.ts", { LOG_LEVEL: "info" });
    const { child } = server;
    const address = await listening(t, server);

    const inFlight = fetch(`${address}/slow`);
    await new Promise((r) => setTimeout(r, 100));
    const exited = once(child, "exit");
    t.equal((await fetch(`${address}/crash/${kind}`, { method: "POST" })).status, 200);
    const res = await inFlight;
    t.equal(res.status, 200, "the request in flight got its answer");
    const [code] = await exited;
    t.equal(code, 1, "exited as a failure, for its supervisor to restart");
    const fatal = server
      .stdout()
      .split("\n")
      .find((l) => l.includes('"level":60'));
    const [msg, cause] =
      kind === "exception"
        ? ["uncaught exception: draining and exiting", "thrown where nobody catches it"]
        : ["unhandled rejection: draining and exiting", "rejected where nobody awaits it"];
    t.match(fatal, msg, "logged as fatal");
    t.match(fatal, cause, "with the error");
  });
}

t.test(
  "booking-svc's rules stop booking-svc alone: flight-svc and payment-mock start with the same settings",
  async (t) => {
    const env = {
      // 20 s is not more than PAYMENT_TIMEOUT_MS + 3 × FLIGHT_TIMEOUT_MS (23 s by default).
      BOOKING_PENDING_DEADLINE_SECONDS: "20",
      // Retries up to 120 s apart outlast flight-svc's settle grace (90 s by default).
      BOOKING_RETRY_MAX_SECONDS: "120",
      BOOKING_PORT: "0",
      FLIGHT_PORT: "0",
      PAYMENT_PORT: "0",
    };
    const booking = runServer("booking-svc/server.ts", env);
    const [code] = await once(booking.child, "exit");
    t.equal(code, 2);
    t.match(booking.stderr(), /booking-svc: invalid configuration/);
    t.match(booking.stderr(), /BOOKING_PENDING_DEADLINE_SECONDS: expected more than PAYMENT_TIMEOUT_MS/);
    t.match(booking.stderr(), /HOLD_SETTLE_GRACE_MS=90000: expected more than/);
    for (const service of ["flight-svc", "payment-mock"]) {
      const address = await listening(t, runServer(`${service}/server.ts`, { ...env, LOG_LEVEL: "info" }));
      const health = await fetch(`${address}/health`);
      t.equal(health.status, 200, `${service} runs`);
    }
  },
);
