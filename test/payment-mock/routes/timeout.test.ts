import t from "tap";
import { fileAuth } from "../../helpers/auth.js";
import { build, charge } from "../../helpers/payment-mock.js";

const auth = await fileAuth();
const service = (await auth.service()).headers;
const admin = (await auth.admin()).headers;

t.test("not_processed: the lost request is never charged, and a retry is a new attempt", async (t) => {
  const mock = await build(t, { auth, env: { PAYMENT_TIMEOUT_RATE: "1" } });
  const key = { "idempotency-key": "booking-1" };
  const lost = await mock.call("POST", "/api/payments/process", charge(), { ...service, ...key });
  t.equal(lost.status, 408);
  const lookup = await mock.call("GET", "/api/payments/by-key/booking-1", undefined, service);
  t.equal(lookup.status, 404);
  t.equal(lookup.body.error, "payment_not_found");
  await mock.call("PUT", "/api/payments/config", { timeout_rate: 0 }, admin);
  const retry = await mock.call("POST", "/api/payments/process", charge(), { ...service, ...key });
  t.equal(retry.status, 200);
  t.equal(retry.body.status, "success");
  const stats = await mock.call("GET", "/api/payments/stats", undefined, admin);
  t.same(stats.body.timeout, { count: 1, processed: 0 });
  t.same(stats.body.success, { count: 1, amount: 1250.5 });
});

t.test("processed: charged although the answer was lost; the status lookup tells", async (t) => {
  const mock = await build(t, {
    auth,
    env: {
      PAYMENT_TIMEOUT_RATE: "1",
      PAYMENT_TIMEOUT_OUTCOME: "processed",
      PAYMENT_TIMEOUT_DELAY_MS: "300",
    },
  });
  const key = { "idempotency-key": "booking-1" };
  const pending = mock.call("POST", "/api/payments/process", charge(), { ...service, ...key });
  await new Promise((resolve) => setTimeout(resolve, 100));
  const early = await mock.call("GET", "/api/payments/by-key/booking-1", undefined, service);
  t.equal(early.status, 200, "recorded at receipt, before the 408");
  const lost = await pending;
  t.equal(lost.status, 408);
  const lookup = await mock.call("GET", "/api/payments/by-key/booking-1", undefined, service);
  t.same(lookup.body, {
    payment_id: early.body.payment_id,
    booking_id: 1,
    user_id: 7,
    amount: 1250.5,
    payment_type: "credit_card",
    status: "success",
    refunded_amount: 0,
    idempotency_key: "booking-1",
    created_at: early.body.created_at,
  });
  const retry = await mock.call("POST", "/api/payments/process", charge(), { ...service, ...key });
  t.equal(retry.status, 200, "a retry with the key learns of the success");
  t.equal(retry.body.payment_id, early.body.payment_id);
  const stats = await mock.call("GET", "/api/payments/stats", undefined, admin);
  t.same(stats.body.timeout, { count: 1, processed: 1 });
  t.same(stats.body.success, { count: 1, amount: 1250.5 });
});

t.test("closing the app while a timeout is pending answers it and does not hang", async (t) => {
  const mock = await build(t, { auth, env: { PAYMENT_TIMEOUT_RATE: "1", PAYMENT_TIMEOUT_DELAY_MS: "60000" } });
  const pending = mock.call("POST", "/api/payments/process", charge(), service);
  await new Promise((resolve) => setTimeout(resolve, 100));
  const started = performance.now();
  await mock.app.close();
  const r = await pending;
  t.ok(performance.now() - started < 2_000, `closed in ${Math.round(performance.now() - started)} ms`);
  t.equal(r.status, 408);
});
