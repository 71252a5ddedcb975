import t from "tap";
import { fileAuth } from "../../helpers/auth.js";
import { build, charge } from "../../helpers/payment-mock.js";

const auth = await fileAuth();
const service = (await auth.service()).headers;
const admin = (await auth.admin()).headers;

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const PAY_ID = /^pay_[0-9a-f]{12}_\d+$/;

t.test("success: 200 with a payment id", async (t) => {
  const mock = await build(t, { auth });
  const r = await mock.call("POST", "/api/payments/process", charge(), service);
  t.equal(r.status, 200);
  t.match(r.body, { payment_id: PAY_ID, created_at: ISO });
  t.same(r.body, {
    payment_id: r.body.payment_id,
    booking_id: 1,
    amount: 1250.5,
    status: "success",
    message: "Payment processed successfully.",
    created_at: r.body.created_at,
  });
  t.equal(r.headers["idempotent-replayed"], undefined);
});

t.test("decline: 200, status failed, a decline code and its sentence", async (t) => {
  const mock = await build(t, { auth, env: { PAYMENT_FAILURE_RATE: "1" } });
  const r = await mock.call("POST", "/api/payments/process", charge({ payment_type: "debit_card" }), service);
  t.equal(r.status, 200);
  t.match(r.body, {
    payment_id: PAY_ID,
    booking_id: 1,
    amount: 1250.5,
    status: "failed",
    decline_code: /^(insufficient_funds|card_declined|expired_card|incorrect_cvc|do_not_honor)$/,
    message: /\.$/,
  });
  t.same(Object.keys(r.body).sort(), ["amount", "booking_id", "decline_code", "message", "payment_id", "status"]);
});

t.test("timeout: no answer until the timeout delay, then 408 status timeout", async (t) => {
  const mock = await build(t, { auth, env: { PAYMENT_TIMEOUT_RATE: "1", PAYMENT_TIMEOUT_DELAY_MS: "200" } });
  const r = await mock.call("POST", "/api/payments/process", charge(), service);
  t.equal(r.status, 408);
  t.ok(r.ms >= 190, `answered after ${Math.round(r.ms)} ms`);
  t.equal(r.body.error, "payment_timeout");
  t.equal(r.body.status, "timeout");
  t.match(r.body.message, /did not answer in time/);
});

t.test("latency delays the answer by the configured amount", async (t) => {
  const mock = await build(t, {
    auth,
    env: {
      PAYMENT_LATENCY_MS: "",
      PAYMENT_LATENCY_MIN_MS: "80",
      PAYMENT_LATENCY_MAX_MS: "120",
    },
  });
  const r = await mock.call("POST", "/api/payments/process", charge(), service);
  t.equal(r.status, 200);
  t.ok(r.ms >= 75 && r.ms < 1_000, `answered after ${Math.round(r.ms)} ms`);
});

t.test("X-Mock-Outcome forces each outcome whatever the rates", async (t) => {
  const mock = await build(t, { auth, env: { PAYMENT_FAILURE_RATE: "1" } });
  const ok = await mock.call("POST", "/api/payments/process", charge({ booking_id: 1 }), {
    ...service,
    "x-mock-outcome": "success",
  });
  t.equal(ok.body.status, "success");
  await mock.call("PUT", "/api/payments/config", { failure_rate: 0 }, admin);
  const no = await mock.call("POST", "/api/payments/process", charge({ booking_id: 2 }), {
    ...service,
    "x-mock-outcome": "failure",
  });
  t.equal(no.body.status, "failed");
  const late = await mock.call("POST", "/api/payments/process", charge({ booking_id: 3 }), {
    ...service,
    "x-mock-outcome": "timeout",
  });
  t.equal(late.status, 408);
  t.equal(late.body.status, "timeout");
});

t.test("the original's simulate endpoints take process's body and force the outcome", async (t) => {
  const mock = await build(t, { auth, env: { PAYMENT_TIMEOUT_RATE: "1" } });
  const ok = await mock.call("POST", "/api/payments/simulate/success", charge({ booking_id: 1 }), service);
  t.equal(ok.status, 200);
  t.match(ok.body, { status: "success", booking_id: 1, payment_id: PAY_ID });
  const no = await mock.call(
    "POST",
    "/api/payments/simulate/failure",
    charge({ booking_id: 2, payment_type: "upi" }),
    service,
  );
  t.equal(no.status, 200);
  t.match(no.body, { status: "failed", booking_id: 2, decline_code: String });
  const late = await mock.call("POST", "/api/payments/simulate/timeout", charge({ booking_id: 3 }), service);
  t.equal(late.status, 408);
  t.same(Object.keys(late.body).sort(), ["error", "message", "status"]);
  t.equal(late.body.status, "timeout");
  const bad = await mock.call("POST", "/api/payments/simulate/success", charge({ amount: -1 }), service);
  t.equal(bad.status, 400);
  t.equal(bad.body.field, "amount");
});
