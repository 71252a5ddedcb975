import { setTimeout as sleep } from "node:timers/promises";
import { AggregatorRegistry, Registry } from "prom-client";
import t from "tap";
import { BreakerUpstream, operationOf, registerBreakerMetrics } from "../../../booking-svc/clients/breaker.js";
import { CredentialError } from "../../../lib/upstream.js";

t.test("calls share a breaker by method and the first three path segments, ids and query left out", async (t) => {
  t.equal(operationOf("POST", "/api/payments/process"), "POST /api/payments/process");
  t.equal(operationOf("GET", "/api/payments/by-key/booking-7"), "GET /api/payments/by-key");
  t.equal(operationOf("GET", "/api/payments/by-key/booking-8?x=1"), "GET /api/payments/by-key");
  t.equal(operationOf("POST", "/api/flights/holds/bk-1/confirm"), "POST /api/flights/holds");
  t.equal(operationOf("DELETE", "/api/flights/holds/bk-1"), "DELETE /api/flights/holds");
  t.not(operationOf("GET", "/api/payments/by-key/a"), operationOf("POST", "/api/payments/process"));
});

// A flight's id comes before the third segment: one breaker (and one metric series) per flight
// grew without bound, and a flight-svc failing for every flight never opened any of them.
t.test("a flight id within the first three segments is left out too", async (t) => {
  t.equal(operationOf("GET", "/api/flights/9017"), "GET /api/flights/:id");
  t.equal(operationOf("GET", "/api/flights/9018"), "GET /api/flights/:id");
  t.equal(operationOf("POST", "/api/flights/9017/seat-assignments"), "POST /api/flights/:id/seat-assignments");
  t.equal(
    operationOf("GET", "/api/flights/9018/seat-assignments?booking_id=3"),
    "GET /api/flights/:id/seat-assignments",
  );
  t.equal(operationOf("POST", "/api/loyalty/entries/12/refund"), "POST /api/loyalty/entries");
});

const settings = { failures: 2, halfOpenAfterMs: 60_000 };
const refusedPort = "http://127.0.0.1:1";

// A token user-svc did not hand out opened flight-svc's circuit after `failures` calls: its 503s
// then said the flight service was unavailable, and its metric showed flight-svc's circuit open.
t.test("calls whose credential did not come never open the called service's circuit", async (t) => {
  const noToken = {
    token: () => Promise.reject(new CredentialError("user-svc", "service token", "network", "refused")),
    invalidate: () => {},
  };
  const flights = new BreakerUpstream("flight-svc", refusedPort, 500, 1, noToken, settings);
  for (let i = 0; i < 5; i++) {
    const err = await flights.call("GET", "/api/flights/1").catch((e: unknown) => e);
    t.ok(err instanceof CredentialError, `call ${i + 1}: the token's failure, not an open circuit`);
  }
  t.same(flights.states(), [], "no breaker: none of the calls reached one");
  t.equal(flights.refused, 0);
});

t.test("calls the called service did not answer open its circuit", async (t) => {
  const token = { token: async () => "t", invalidate: () => {} };
  const flights = new BreakerUpstream("flight-svc", refusedPort, 500, 1, token, settings);
  const failure = () => flights.call("GET", "/api/flights/1").catch((err: unknown) => err);
  for (let i = 0; i < settings.failures; i++) t.match(await failure(), { kind: "network" });
  t.match(await failure(), { kind: "open" });
  t.same(flights.states(), [["GET /api/flights/:id", 2]], "open");
});

// cockatiel leaves an open circuit open until a call comes after its wait: the metric said
// "open, calls fail at once" for good on a booking-svc with no bookings, its upstream long back.
t.test("an open circuit whose wait is over reads half-open before any call comes", async (t) => {
  const token = { token: async () => "t", invalidate: () => {} };
  const quick = { failures: 2, halfOpenAfterMs: 100 };
  const flights = new BreakerUpstream("flight-svc", refusedPort, 500, 1, token, quick);
  const call = () => flights.call("GET", "/api/flights/1").catch((err: unknown) => err);
  for (let i = 0; i < quick.failures; i++) t.match(await call(), { kind: "network" });
  t.same(flights.states(), [["GET /api/flights/:id", 2]], "open while it waits");
  await sleep(quick.halfOpenAfterMs + 50);
  t.same(flights.states(), [["GET /api/flights/:id", 1]], "half-open once the wait is over");
  t.match(await call(), { kind: "network" }, "the trial call, sent");
  t.same(flights.states(), [["GET /api/flights/:id", 2]], "open again: its wait starts over");
});

// A half-open circuit's trial call whose token user-svc did not hand out was counted a success by
// cockatiel (an error it does not handle "failed successfully") and closed the circuit, although
// flight-svc was never called: the calls after it were all sent to flight-svc, still down, again.
t.test("a half-open circuit's call without its credential leaves the circuit as it was", async (t) => {
  let tokenFails = false;
  const token = {
    token: async () => {
      if (tokenFails) throw new CredentialError("user-svc", "service token", "network", "refused");
      return "t";
    },
    invalidate: () => {},
  };
  const quick = { failures: 2, halfOpenAfterMs: 100 };
  const flights = new BreakerUpstream("flight-svc", refusedPort, 500, 1, token, quick);
  const call = () => flights.call("GET", "/api/flights/1").catch((err: unknown) => err);
  for (let i = 0; i < quick.failures; i++) t.match(await call(), { kind: "network" });
  t.match(await call(), { kind: "open" }, "open");
  await sleep(quick.halfOpenAfterMs + 50);

  tokenFails = true;
  t.ok((await call()) instanceof CredentialError, "the token's failure");
  t.same(flights.states(), [["GET /api/flights/:id", 1]], "not closed: its next call is still a trial");

  tokenFails = false;
  t.match(
    await Promise.all([call(), call(), call()]),
    [{ kind: "network" }, { kind: "open" }, { kind: "open" }],
    "one trial call to flight-svc, still down; the others refused at once",
  );
});

// The refused calls were a gauge, skybook_upstream_circuit_refused_calls, renamed into the counter
// ..._total: a dashboard or alert built on the old name went blank. Both are exposed, the same
// count, and each adds up over a service's workers as lib/worker-metrics.ts merges them.
t.test("refused calls: the counter and the deprecated gauge of the old name, summed over workers", async (t) => {
  const token = { token: async () => "t", invalidate: () => {} };
  const worker = async (refusals: number) => {
    const payments = new BreakerUpstream("payment-mock", refusedPort, 500, 1, token, settings);
    const call = () => payments.call("POST", "/api/payments/process").catch((err: unknown) => err);
    for (let i = 0; i < settings.failures; i++) await call();
    for (let i = 0; i < refusals; i++) t.match(await call(), { kind: "open" });
    const registry = new Registry();
    registerBreakerMetrics(registry, [payments]);
    return registry.getMetricsAsJSON();
  };
  const merged = AggregatorRegistry.aggregate([await worker(2), await worker(3)]);
  const text = await merged.metrics();
  const sample = (name: string) => text.split("\n").find((l) => l.startsWith(`${name}{`));
  t.equal(
    sample("skybook_upstream_circuit_refused_calls_total"),
    'skybook_upstream_circuit_refused_calls_total{upstream="payment-mock"} 5',
  );
  t.equal(
    sample("skybook_upstream_circuit_refused_calls"),
    'skybook_upstream_circuit_refused_calls{upstream="payment-mock"} 5',
  );
  t.match(text, /# TYPE skybook_upstream_circuit_refused_calls_total counter/);
  t.match(text, /# TYPE skybook_upstream_circuit_refused_calls gauge/);
  t.match(text, /# HELP skybook_upstream_circuit_refused_calls Deprecated/);
  t.match(
    text,
    /skybook_upstream_circuit_state\{upstream="payment-mock",operation="POST \/api\/payments\/process"\} 2/,
  );
});
