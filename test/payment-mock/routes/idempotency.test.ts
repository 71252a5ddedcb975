import t from "tap";
import { fileAuth } from "../../helpers/auth.js";
import { build, charge } from "../../helpers/payment-mock.js";

const auth = await fileAuth();
const service = (await auth.service()).headers;
const admin = (await auth.admin()).headers;

t.test("the same Idempotency-Key replays the first result and charges once", async (t) => {
  const mock = await build(t, { auth });
  const key = { "idempotency-key": "booking-1" };
  const first = await mock.call("POST", "/api/payments/process", charge(), { ...service, ...key });
  const again = await mock.call("POST", "/api/payments/process", charge(), { ...service, ...key });
  t.equal(first.status, 200);
  t.same(again.body, first.body);
  t.equal(again.headers["idempotent-replayed"], "true");
  const stats = await mock.call("GET", "/api/payments/stats", undefined, admin);
  t.same(stats.body.success, { count: 1, amount: 1250.5 });
});

t.test("a replayed decline stays a decline even after the rates change", async (t) => {
  const mock = await build(t, { auth, env: { PAYMENT_FAILURE_RATE: "1" } });
  const key = { "idempotency-key": "booking-1" };
  const first = await mock.call("POST", "/api/payments/process", charge(), { ...service, ...key });
  await mock.call("PUT", "/api/payments/config", { failure_rate: 0 }, admin);
  const again = await mock.call("POST", "/api/payments/process", charge(), { ...service, ...key });
  t.equal(first.body.status, "failed");
  t.same(again.body, first.body);
});

t.test("a key reused with another body is 422 and charges nothing", async (t) => {
  const mock = await build(t, { auth });
  const key = { "idempotency-key": "booking-1" };
  await mock.call("POST", "/api/payments/process", charge(), { ...service, ...key });
  const other = await mock.call("POST", "/api/payments/process", charge({ amount: 99 }), { ...service, ...key });
  t.equal(other.status, 422);
  t.same(other.body, {
    error: "idempotency_key_reused",
    message: "This Idempotency-Key was used with a different request body.",
  });
  const stats = await mock.call("GET", "/api/payments/stats", undefined, admin);
  t.equal(stats.body.success.count, 1);
});

t.test("without a key, the same booking id and amount replay the first result", async (t) => {
  const mock = await build(t, { auth });
  const first = await mock.call("POST", "/api/payments/process", charge({ booking_id: 9 }), service);
  const again = await mock.call("POST", "/api/payments/process", charge({ booking_id: 9 }), service);
  const otherAmount = await mock.call("POST", "/api/payments/process", charge({ booking_id: 9, amount: 10 }), service);
  t.same(again.body, first.body);
  t.equal(again.headers["idempotent-replayed"], "true");
  t.not(otherAmount.body.payment_id, first.body.payment_id);
  const stats = await mock.call("GET", "/api/payments/stats", undefined, admin);
  t.equal(stats.body.success.count, 2);
});

t.test("concurrent duplicates during the latency wait share one charge", async (t) => {
  const mock = await build(t, { auth, env: { PAYMENT_LATENCY_MS: "150" } });
  const key = { "idempotency-key": "booking-1" };
  const replies = await Promise.all(
    Array.from({ length: 10 }, () => mock.call("POST", "/api/payments/process", charge(), { ...service, ...key })),
  );
  t.same(new Set(replies.map((r) => r.body.payment_id)).size, 1);
  t.ok(replies.every((r) => r.status === 200));
  t.equal(replies.filter((r) => r.headers["idempotent-replayed"] === "true").length, 9);
  const stats = await mock.call("GET", "/api/payments/stats", undefined, admin);
  t.equal(stats.body.success.count, 1);
});

t.test("concurrent duplicates of a timeout all time out and nothing is charged", async (t) => {
  const mock = await build(t, { auth, env: { PAYMENT_TIMEOUT_RATE: "1" } });
  const key = { "idempotency-key": "booking-1" };
  const replies = await Promise.all(
    Array.from({ length: 5 }, () => mock.call("POST", "/api/payments/process", charge(), { ...service, ...key })),
  );
  t.same(
    replies.map((r) => r.status),
    [408, 408, 408, 408, 408],
  );
  const stats = await mock.call("GET", "/api/payments/stats", undefined, admin);
  t.same(stats.body.timeout, { count: 1, processed: 0 });
  t.equal(stats.body.success.count, 0);
});

t.test("a forced outcome does not override a stored result", async (t) => {
  const mock = await build(t, { auth });
  const key = { "idempotency-key": "k" };
  const first = await mock.call("POST", "/api/payments/process", charge(), { ...service, ...key });
  const forced = await mock.call("POST", "/api/payments/simulate/failure", charge(), { ...service, ...key });
  t.same(forced.body, first.body);
});

t.test("without a key, each simulate endpoint forces its outcome on the original's one sample body", async (t) => {
  const mock = await build(t, { auth });
  const body = charge({ booking_id: 51, amount: 100, payment_type: "upi" });
  const script = async () => ({
    failed: await mock.call("POST", "/api/payments/simulate/failure", body, service),
    paid: await mock.call("POST", "/api/payments/simulate/success", body, service),
    late: await mock.call("POST", "/api/payments/simulate/timeout", body, service),
  });
  const first = await script();
  t.equal(first.failed.status, 200);
  t.equal(first.failed.body.status, "failed");
  t.equal(first.paid.status, 200);
  t.equal(first.paid.body.status, "success");
  t.equal(first.paid.headers["idempotent-replayed"], undefined, "a new attempt, not the decline replayed");
  t.equal(first.late.status, 408);
  t.equal(first.late.body.status, "timeout");

  const again = await script();
  t.same(again.failed.body, first.failed.body, "the decline replayed");
  t.equal(again.failed.headers["idempotent-replayed"], "true");
  t.same(again.paid.body, first.paid.body, "the success replayed");
  t.equal(again.paid.headers["idempotent-replayed"], "true");
  t.equal(again.late.status, 408);
  const stats = await mock.call("GET", "/api/payments/stats", undefined, admin);
  t.same(stats.body.success, { count: 1, amount: 100 });
  t.same(stats.body.failed, { count: 1, amount: 100 });
  t.same(stats.body.timeout, { count: 2, processed: 0 });
});

t.test("without a key, a forced outcome after a success never charges the booking twice", async (t) => {
  const mock = await build(t, { auth, env: { PAYMENT_TIMEOUT_OUTCOME: "processed" } });
  const body = charge({ booking_id: 52 });
  const paid = await mock.call("POST", "/api/payments/process", body, service);
  const forced = await mock.call("POST", "/api/payments/simulate/success", body, service);
  t.same(forced.body, paid.body, "a forced success replays the success");
  t.equal(forced.headers["idempotent-replayed"], "true");
  const late = await mock.call("POST", "/api/payments/simulate/timeout", body, service);
  t.equal(late.status, 408, "a forced timeout answers 408, not the stored success");
  t.equal(late.body.status, "timeout");
  const byHeader = await mock.call("POST", "/api/payments/process", body, { ...service, "x-mock-outcome": "timeout" });
  t.equal(byHeader.status, 408, "X-Mock-Outcome is the same rule");
  const declined = await mock.call("POST", "/api/payments/simulate/failure", body, service);
  t.equal(declined.body.status, "failed");
  const retry = await mock.call("POST", "/api/payments/process", body, service);
  t.same(retry.body, paid.body, "a plain retry answers the booking's success");
  const stats = await mock.call("GET", "/api/payments/stats", undefined, admin);
  t.same(stats.body.success, { count: 1, amount: 1250.5 }, "the processed timeout lost the first success's answer");
});

t.test(
  "without a key, the same booking and amount from another user or payment type are refused like a reused key",
  async (t) => {
    const mock = await build(t, { auth });
    const paid = { booking_id: 42, amount: 8500, user_id: 7, payment_type: "upi" };
    const first = await mock.call("POST", "/api/payments/process", paid, service);
    t.equal(first.status, 200);
    for (const other of [
      { user_id: 8, payment_type: "credit_card" },
      { user_id: 8 },
      { payment_type: "credit_card" },
    ]) {
      for (const path of ["/api/payments/process", "/api/payments/simulate/success"]) {
        const r = await mock.call("POST", path, { ...paid, ...other }, service);
        t.equal(r.status, 422, `${path} ${JSON.stringify(other)}`);
        t.same(r.body, {
          error: "idempotency_key_reused",
          message:
            "Without an Idempotency-Key, booking_id and amount name the payment: this one was made with another user_id or payment_type.",
        });
        t.equal(r.headers["idempotent-replayed"], undefined);
      }
    }
    const stats = await mock.call("GET", "/api/payments/stats", undefined, admin);
    t.same(stats.body.success, { count: 1, amount: 8500 });
  },
);
