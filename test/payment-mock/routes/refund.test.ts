import t from "tap";
import { fileAuth } from "../../helpers/auth.js";
import { build, charge } from "../../helpers/payment-mock.js";

const auth = await fileAuth();
const service = (await auth.service()).headers;
const admin = (await auth.admin()).headers;

const REF_ID = /^ref_[0-9a-f]{12}_\d+$/;

t.test("a full refund, and its repeat returning the same refund", async (t) => {
  const mock = await build(t, { auth });
  const paid = await mock.call("POST", "/api/payments/process", charge({ amount: 100.1 }), service);
  const id = paid.body.payment_id;
  const r = await mock.call("POST", "/api/payments/refund", { payment_id: id }, service);
  t.equal(r.status, 200);
  t.match(r.body, { refund_id: REF_ID });
  t.same(r.body, {
    refund_id: r.body.refund_id,
    payment_id: id,
    amount: 100.1,
    refunded_amount: 100.1,
    status: "refunded",
    created_at: r.body.created_at,
  });
  const again = await mock.call("POST", "/api/payments/refund", { payment_id: id }, service);
  t.same(again.body, r.body);
  t.equal(again.headers["idempotent-replayed"], "true");
  const explicit = await mock.call("POST", "/api/payments/refund", { payment_id: id, amount: 100.1 }, service);
  t.same(explicit.body, r.body, "a full amount given explicitly is the same full refund");
  const lookup = await mock.call("GET", `/api/payments/${id}`, undefined, service);
  t.equal(lookup.body.refunded_amount, 100.1);
  const stats = await mock.call("GET", "/api/payments/stats", undefined, admin);
  t.same(stats.body.refunds, { count: 1, amount: 100.1 });
  t.equal(stats.body.net_amount, 0);
});

t.test("partial refunds, then the rest, then nothing is left", async (t) => {
  const mock = await build(t, { auth });
  const paid = await mock.call("POST", "/api/payments/process", charge({ amount: 0.3 }), service);
  const id = paid.body.payment_id;
  const a = await mock.call("POST", "/api/payments/refund", { payment_id: id, amount: 0.1 }, service);
  const b = await mock.call("POST", "/api/payments/refund", { payment_id: id, amount: 0.1 }, service);
  t.same([a.body.amount, a.body.refunded_amount, b.body.refunded_amount], [0.1, 0.1, 0.2]);
  t.not(a.body.refund_id, b.body.refund_id, "without a key each partial refund is a new one");
  const tooMuch = await mock.call("POST", "/api/payments/refund", { payment_id: id, amount: 0.2 }, service);
  t.equal(tooMuch.status, 409);
  t.same(tooMuch.body, {
    error: "conflict",
    message: "The refund is larger than what is left to refund on the payment.",
    payment_id: id,
    refundable_amount: 0.1,
  });
  const rest = await mock.call("POST", "/api/payments/refund", { payment_id: id }, service);
  t.same([rest.body.amount, rest.body.refunded_amount], [0.1, 0.3]);
  const stats = await mock.call("GET", "/api/payments/stats", undefined, admin);
  t.same(stats.body.refunds, { count: 3, amount: 0.3 });
  t.equal(stats.body.net_amount, 0, "exact: 0.3 - 0.1 - 0.1 - 0.1 is 0 in cents");
});

t.test("a full refund of a payment part refunds used up is refused, not a replay of the last part", async (t) => {
  const mock = await build(t, { auth });
  const paid = await mock.call("POST", "/api/payments/process", charge({ amount: 30 }), service);
  const id = paid.body.payment_id;
  const key = { "idempotency-key": "part-2" };
  await mock.call("POST", "/api/payments/refund", { payment_id: id, amount: 10 }, service);
  const last = await mock.call("POST", "/api/payments/refund", { payment_id: id, amount: 20 }, { ...service, ...key });
  for (const body of [{ payment_id: id }, { payment_id: id, amount: 30 }]) {
    const full = await mock.call("POST", "/api/payments/refund", body, service);
    t.equal(full.status, 409);
    t.same(full.body, {
      error: "payment_refunded",
      message: "The payment is refunded in full; nothing is left to refund.",
      payment_id: id,
      refunded_amount: 30,
    });
    t.equal(full.headers["idempotent-replayed"], undefined);
  }
  const retry = await mock.call("POST", "/api/payments/refund", { payment_id: id, amount: 20 }, { ...service, ...key });
  t.same([retry.status, retry.body], [200, last.body], "a retry of the last part still answers it");
  t.equal(retry.headers["idempotent-replayed"], "true");
  const stats = await mock.call("GET", "/api/payments/stats", undefined, admin);
  t.same(stats.body.refunds, { count: 2, amount: 30 });
});

t.test("an Idempotency-Key makes a partial refund safe to retry", async (t) => {
  const mock = await build(t, { auth });
  const paid = await mock.call("POST", "/api/payments/process", charge({ amount: 50 }), service);
  const id = paid.body.payment_id;
  const key = { "idempotency-key": "refund-1" };
  const a = await mock.call("POST", "/api/payments/refund", { payment_id: id, amount: 10 }, { ...service, ...key });
  const b = await mock.call("POST", "/api/payments/refund", { payment_id: id, amount: 10 }, { ...service, ...key });
  t.same(b.body, a.body);
  const other = await mock.call("POST", "/api/payments/refund", { payment_id: id, amount: 20 }, { ...service, ...key });
  t.equal(other.status, 422);
  t.equal(other.body.error, "idempotency_key_reused");
  const lookup = await mock.call("GET", `/api/payments/${id}`, undefined, service);
  t.equal(lookup.body.refunded_amount, 10);
});

t.test("unknown payment 404, failed payment 409, bad amount 400", async (t) => {
  const mock = await build(t, { auth, env: { PAYMENT_FAILURE_RATE: "1" } });
  const unknown = await mock.call("POST", "/api/payments/refund", { payment_id: "pay_nope" }, service);
  t.equal(unknown.status, 404);
  t.same(unknown.body, { error: "payment_not_found", message: "The payment was not found.", payment_id: "pay_nope" });
  const failed = await mock.call("POST", "/api/payments/process", charge(), service);
  const r = await mock.call("POST", "/api/payments/refund", { payment_id: failed.body.payment_id }, service);
  t.equal(r.status, 409);
  t.same(r.body, {
    error: "conflict",
    message: "Only a successful payment can be refunded.",
    payment_id: failed.body.payment_id,
    payment_status: "failed",
  });
  for (const [body, field] of [
    [{ payment_id: failed.body.payment_id, amount: 1.234 }, "amount"],
    [{ payment_id: failed.body.payment_id, amount: 0 }, "amount"],
    [{ amount: 1 }, "payment_id"],
  ] as const) {
    const bad = await mock.call("POST", "/api/payments/refund", body, service);
    t.equal(bad.status, 400);
    t.equal(bad.body.field, field);
  }
  const stats = await mock.call("GET", "/api/payments/stats", undefined, admin);
  t.equal(stats.body.refunds.count, 0);
});

t.test("refund, config and stats are no payment ids: another method is 405 with their own", async (t) => {
  const mock = await build(t, { auth });
  for (const [method, path, allow] of [
    ["GET", "/api/payments/refund", "POST"],
    ["PUT", "/api/payments/refund", "POST"],
    ["PUT", "/api/payments/stats", "GET, HEAD"],
    ["POST", "/api/payments/config", "GET, HEAD, PUT"],
  ] as const) {
    const res = await mock.call(method, path, method === "GET" ? undefined : {}, admin);
    t.same([res.status, res.headers.allow, res.body.error], [405, allow, "method_not_allowed"], `${method} ${path}`);
  }
});
