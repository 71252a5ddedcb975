import t from "tap";
import { fileAuth } from "../../helpers/auth.js";
import { build, charge } from "../../helpers/payment-mock.js";

// The config, totals and reset are an admin's; charges booking-svc's (AUTH_MODE=required).
const auth = await fileAuth();
async function withTokens(t: Parameters<typeof build>[0], env: Record<string, string> = {}) {
  const mock = await build(t, { auth, env });
  return { mock, admin: (await auth.admin()).headers, service: (await auth.service()).headers };
}

t.test("GET shows the settings the mock started with", async (t) => {
  const { mock, admin } = await withTokens(t, { PAYMENT_SEED: "42", PAYMENT_TIMEOUT_OUTCOME: "processed" });
  const r = await mock.call("GET", "/api/payments/config", undefined, admin);
  t.equal(r.status, 200);
  t.same(r.body, {
    failure_rate: 0,
    timeout_rate: 0,
    latency_min_ms: 0,
    latency_max_ms: 0,
    timeout_delay_ms: 150,
    timeout_outcome: "processed",
    seed: 42,
  });
});

t.test("PUT changes a subset, answers the whole config, and takes effect at once", async (t) => {
  const { mock, admin, service } = await withTokens(t);
  const r = await mock.call("PUT", "/api/payments/config", { failure_rate: 1, seed: null, latency_ms: 5 }, admin);
  t.equal(r.status, 200);
  t.same(r.body, {
    failure_rate: 1,
    timeout_rate: 0,
    latency_min_ms: 5,
    latency_max_ms: 5,
    timeout_delay_ms: 150,
    timeout_outcome: "not_processed",
    seed: null,
  });
  t.same((await mock.call("GET", "/api/payments/config", undefined, admin)).body, r.body);
  const paid = await mock.call("POST", "/api/payments/process", charge(), service);
  t.equal(paid.body.status, "failed");
});

t.test("invalid changes are 400 naming the field and change nothing", async (t) => {
  const { mock, admin } = await withTokens(t);
  const before = (await mock.call("GET", "/api/payments/config", undefined, admin)).body;
  const cases: [Record<string, unknown>, string][] = [
    [{ failure_rate: 1.5 }, "failure_rate"],
    [{ timeout_rate: -0.1 }, "timeout_rate"],
    [{ failure_rate: 0.6, timeout_rate: 0.5 }, "timeout_rate"],
    [{ latency_min_ms: 10, latency_max_ms: 5 }, "latency_min_ms"],
    [{ latency_ms: -1 }, "latency_ms"],
    [{ latency_ms: 5, latency_min_ms: 1 }, "latency_ms"],
    [{ timeout_delay_ms: 1.5 }, "timeout_delay_ms"],
    [{ timeout_outcome: "sometimes" }, "timeout_outcome"],
    [{ seed: -1 }, "seed"],
    [{ seed: "abc" }, "seed"],
    [{ rate: 0.5 }, "rate"],
  ];
  for (const [body, field] of cases) {
    const r = await mock.call("PUT", "/api/payments/config", body, admin);
    t.equal(r.status, 400, JSON.stringify(body));
    t.equal(r.body.error, "validation_error");
    t.equal(r.body.field, field, JSON.stringify(body));
  }
  t.same((await mock.call("GET", "/api/payments/config", undefined, admin)).body, before);
});

t.test("a seed makes a run reproducible: the same seed gives the same outcomes", async (t) => {
  const { mock, admin, service } = await withTokens(t, {
    PAYMENT_FAILURE_RATE: "0.4",
    PAYMENT_TIMEOUT_RATE: "0.2",
    PAYMENT_TIMEOUT_DELAY_MS: "0",
  });
  const run = async () => {
    await mock.call("PUT", "/api/payments/config", { seed: 1234 }, admin);
    await mock.call("POST", "/api/payments/reset", undefined, admin);
    const outcomes: string[] = [];
    for (let i = 1; i <= 30; i++) {
      const r = await mock.call("POST", "/api/payments/process", charge({ booking_id: i }), service);
      outcomes.push(r.status === 408 ? "timeout" : `${r.body.status}:${r.body.decline_code ?? ""}`);
    }
    return outcomes;
  };
  const first = await run();
  t.same(await run(), first);
  t.ok(new Set(first.map((o) => o.split(":")[0])).size === 3, `all three outcomes occur: ${first.join(" ")}`);
});
