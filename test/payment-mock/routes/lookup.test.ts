import t from "tap";
import { fileAuth } from "../../helpers/auth.js";
import { build, charge } from "../../helpers/payment-mock.js";

const auth = await fileAuth();
const service = (await auth.service()).headers;
const admin = (await auth.admin()).headers;

t.test("a payment is found by id and by its Idempotency-Key", async (t) => {
  const mock = await build(t, { auth });
  const paid = await mock.call("POST", "/api/payments/process", charge({ booking_id: 3, user_id: 4 }), {
    ...service,
    "idempotency-key": "booking-3",
  });
  const byId = await mock.call("GET", `/api/payments/${paid.body.payment_id}`, undefined, service);
  t.equal(byId.status, 200);
  t.same(byId.body, {
    payment_id: paid.body.payment_id,
    booking_id: 3,
    user_id: 4,
    amount: 1250.5,
    payment_type: "credit_card",
    status: "success",
    refunded_amount: 0,
    idempotency_key: "booking-3",
    created_at: paid.body.created_at,
  });
  const byKey = await mock.call("GET", "/api/payments/by-key/booking-3", undefined, service);
  t.same(byKey.body, byId.body);
});

t.test("a declined payment is found with its decline code; without a key its key is null", async (t) => {
  const mock = await build(t, { auth, env: { PAYMENT_FAILURE_RATE: "1" } });
  const paid = await mock.call("POST", "/api/payments/process", charge({ payment_type: "net_banking" }), service);
  const r = await mock.call("GET", `/api/payments/${paid.body.payment_id}`, undefined, service);
  t.match(r.body, { status: "failed", decline_code: paid.body.decline_code, idempotency_key: null });
});

t.test("unknown id or key: 404 payment_not_found", async (t) => {
  const mock = await build(t, { auth });
  const id = await mock.call("GET", "/api/payments/pay_0123", undefined, service);
  t.equal(id.status, 404);
  t.same(id.body, { error: "payment_not_found", message: "The payment was not found.", payment_id: "pay_0123" });
  const key = await mock.call("GET", "/api/payments/by-key/booking-77", undefined, service);
  t.equal(key.status, 404);
  t.same(key.body, {
    error: "payment_not_found",
    message: "No payment was recorded under this Idempotency-Key.",
    idempotency_key: "booking-77",
  });
});

t.test("stats count and sum by outcome, exactly, and reset forgets everything", async (t) => {
  const mock = await build(t, { auth, env: { PAYMENT_TIMEOUT_DELAY_MS: "0" } });
  for (let i = 1; i <= 10; i++)
    await mock.call("POST", "/api/payments/process", charge({ booking_id: i, amount: 0.1 }), service);
  await mock.call("POST", "/api/payments/simulate/failure", charge({ booking_id: 11, amount: 0.2 }), service);
  await mock.call("POST", "/api/payments/simulate/timeout", charge({ booking_id: 12 }), service);
  const one = await mock.call("GET", "/api/payments/by-key/x", undefined, service);
  t.equal(one.status, 404);
  const stats = await mock.call("GET", "/api/payments/stats", undefined, admin);
  t.same(stats.body, {
    success: { count: 10, amount: 1 },
    failed: { count: 1, amount: 0.2 },
    timeout: { count: 1, processed: 0 },
    refunds: { count: 0, amount: 0 },
    net_amount: 1,
  });
  const paid = await mock.call("POST", "/api/payments/process", charge({ booking_id: 13 }), {
    ...service,
    "idempotency-key": "k",
  });
  const reset = await mock.call("POST", "/api/payments/reset", undefined, admin);
  t.equal(reset.status, 204);
  t.equal(reset.body, null);
  t.equal((await mock.call("GET", `/api/payments/${paid.body.payment_id}`, undefined, service)).status, 404);
  t.equal((await mock.call("GET", "/api/payments/by-key/k", undefined, service)).status, 404);
  const after = await mock.call("GET", "/api/payments/stats", undefined, admin);
  t.same(after.body.success, { count: 0, amount: 0 });
  const fresh = await mock.call("POST", "/api/payments/process", charge({ booking_id: 13 }), {
    ...service,
    "idempotency-key": "k",
  });
  t.not(fresh.body.payment_id, paid.body.payment_id, "the key is free again after a reset");
});

t.test("the store keeps at most PAYMENT_MAX_STORED payments; totals still count every one", async (t) => {
  const mock = await build(t, { auth, env: { PAYMENT_MAX_STORED: "3" } });
  const ids: string[] = [];
  for (let i = 1; i <= 5; i++) {
    ids.push((await mock.call("POST", "/api/payments/process", charge({ booking_id: i }), service)).body.payment_id);
  }
  t.equal(
    (await mock.call("GET", `/api/payments/${ids[0]}`, undefined, service)).status,
    404,
    "the oldest was forgotten",
  );
  t.equal((await mock.call("GET", `/api/payments/${ids[4]}`, undefined, service)).status, 200);
  t.equal((await mock.call("GET", "/api/payments/stats", undefined, admin)).body.success.count, 5);
});
