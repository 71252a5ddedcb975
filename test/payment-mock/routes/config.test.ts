import t from "tap";
import { build, charge } from "../../helpers/payment-mock.js";

t.test("GET shows the settings the mock started with", async (t) => {
  const mock = await build(t, { env: { PAYMENT_SEED: "42", PAYMENT_TIMEOUT_OUTCOME: "processed" } });
  const r = await mock.call("GET", "/api/payments/config");
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
  const mock = await build(t);
  const r = await mock.call("PUT", "/api/payments/config", { failure_rate: 1, seed: null, latency_ms: 5 });
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
  t.same((await mock.call("GET", "/api/payments/config")).body, r.body);
  const paid = await mock.call("POST", "/api/payments/process", charge());
  t.equal(paid.body.status, "failed");
});

t.test("invalid changes are 400 naming the field and change nothing", async (t) => {
  const mock = await build(t);
  const before = (await mock.call("GET", "/api/payments/config")).body;
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
    const r = await mock.call("PUT", "/api/payments/config", body);
    t.equal(r.status, 400, JSON.stringify(body));
    t.equal(r.body.error, "validation_error");
    t.equal(r.body.field, field, JSON.stringify(body));
  }
  t.same((await mock.call("GET", "/api/payments/config")).body, before);
});

t.test("a seed makes a run reproducible: the same seed gives the same outcomes", async (t) => {
  const mock = await build(t, {
    env: {
      PAYMENT_FAILURE_RATE: "0.4",
      PAYMENT_TIMEOUT_RATE: "0.2",
      PAYMENT_TIMEOUT_DELAY_MS: "0",
    },
  });
  const run = async () => {
    await mock.call("PUT", "/api/payments/config", { seed: 1234 });
    await mock.call("POST", "/api/payments/reset");
    const outcomes: string[] = [];
    for (let i = 1; i <= 30; i++) {
      const r = await mock.call("POST", "/api/payments/process", charge({ booking_id: i }));
      outcomes.push(r.status === 408 ? "timeout" : `${r.body.status}:${r.body.decline_code ?? ""}`);
    }
    return outcomes;
  };
  const first = await run();
  t.same(await run(), first);
  t.ok(new Set(first.map((o) => o.split(":")[0])).size === 3, `all three outcomes occur: ${first.join(" ")}`);
});
