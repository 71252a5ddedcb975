import t from "tap";
import { fileAuth } from "../../helpers/auth.js";
import { build, charge } from "../../helpers/payment-mock.js";

const auth = await fileAuth();
const service = (await auth.service()).headers;
const admin = (await auth.admin()).headers;

// Every bad input is a 400 naming the field, and charges nothing.
const cases: [string, Record<string, unknown>, string][] = [
  ["amount zero", charge({ amount: 0 }), "amount"],
  ["amount negative", charge({ amount: -10 }), "amount"],
  ["amount with three decimals", charge({ amount: 10.005 }), "amount"],
  ["amount above the limit", charge({ amount: 10_000_000.01 }), "amount"],
  ["amount not a number", charge({ amount: "ten" }), "amount"],
  ["amount missing", { booking_id: 1, user_id: 7, payment_type: "upi" }, "amount"],
  ["booking id zero", charge({ booking_id: 0 }), "booking_id"],
  ["booking id fractional", charge({ booking_id: 1.5 }), "booking_id"],
  ["booking id text", charge({ booking_id: "abc" }), "booking_id"],
  ["booking id missing", { amount: 10, user_id: 7, payment_type: "upi" }, "booking_id"],
  ["user id negative", charge({ user_id: -3 }), "user_id"],
  ["user id missing", { booking_id: 1, amount: 10, payment_type: "upi" }, "user_id"],
  ["payment type unknown", charge({ payment_type: "cash" }), "payment_type"],
  ["payment type missing", { booking_id: 1, amount: 10, user_id: 7 }, "payment_type"],
  ["an unknown field", charge({ currency: "INR" }), "currency"],
];

t.test("bad bodies", async (t) => {
  const mock = await build(t, { auth });
  for (const [name, body, field] of cases) {
    const r = await mock.call("POST", "/api/payments/process", body, service);
    t.equal(r.status, 400, name);
    t.equal(r.body.error, "validation_error", name);
    t.equal(r.body.field, field, name);
    t.match(r.body.message, field, name);
  }
  const stats = await mock.call("GET", "/api/payments/stats", undefined, admin);
  t.same([stats.body.success.count, stats.body.failed.count], [0, 0]);
});

t.test("the largest amount with two decimals is accepted", async (t) => {
  const mock = await build(t, { auth });
  const r = await mock.call("POST", "/api/payments/process", charge({ amount: 10_000_000 }), service);
  t.equal(r.status, 200);
  t.equal(r.body.amount, 10_000_000);
});

t.test("bad headers name the header", async (t) => {
  const mock = await build(t, { auth });
  const outcome = await mock.call("POST", "/api/payments/process", charge(), { ...service, "x-mock-outcome": "maybe" });
  t.equal(outcome.status, 400);
  t.equal(outcome.body.field, "x-mock-outcome");
  const key = await mock.call("POST", "/api/payments/process", charge(), {
    ...service,
    "idempotency-key": "k".repeat(256),
  });
  t.equal(key.status, 400);
  t.equal(key.body.field, "idempotency-key");
});

t.test("not JSON, or no body at all", async (t) => {
  const mock = await build(t, { auth });
  const res = await fetch(`${mock.url}/api/payments/process`, {
    method: "POST",
    headers: { ...service, "content-type": "application/json" },
    body: "{nope",
  });
  t.equal(res.status, 400);
  t.match(await res.json(), { error: "validation_error", message: String, field: "body" });
  const empty = await mock.call("POST", "/api/payments/process", undefined, {
    ...service,
    "content-type": "application/json",
  });
  t.equal(empty.status, 400);
  t.equal(empty.body.error, "validation_error");
});
