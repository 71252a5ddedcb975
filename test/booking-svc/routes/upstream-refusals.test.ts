import { createServer } from "node:http";
import t from "tap";
import { fileAuth } from "../../helpers/auth.js";
import { build } from "../../helpers/booking-svc.js";
import { call, SYSTEM_ENV } from "../../helpers/system.js";

// booking-svc checks input as flight-svc and payment-mock do, so neither should ever refuse one
// of its calls. If one does (400: the two disagree), the client hears that 400, never "service
// unavailable", and nothing stays held or charged. The upstreams here are a stub that answers
// as told, since the real ones agree with booking-svc.

type Answer = { status: number; body: unknown };
const refusal = (field: string): Answer => ({
  status: 400,
  body: { error: "validation_error", message: `${field} is out of range`, field },
});
const valid = (price: number): Answer => ({
  status: 200,
  body: { valid: true, price, available_seats: 50, flight_id: 1 },
});

let answers: Record<string, Answer> = {};
const calls: string[] = [];
const stub = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    const route = `${req.method} ${(req.url ?? "").replace(/bk-\d+/, "bk-N")}`;
    calls.push(route);
    const a = answers[route] ?? { status: 404, body: { error: "not_found", message: "no" } };
    res.writeHead(a.status, { "content-type": "application/json" });
    res.end(JSON.stringify(a.body));
  });
});
await new Promise<void>((resolve) => stub.listen(0, "127.0.0.1", resolve));
const stubUrl = `http://127.0.0.1:${(stub.address() as { port: number }).port}`;

const auth = await fileAuth();
const customer = await auth.customer();
const { app, url } = await build(t, {
  env: { ...auth.env, ...SYSTEM_ENV, FLIGHT_SERVICE_URL: stubUrl, PAYMENT_SERVICE_URL: stubUrl },
  sweeper: false,
  listen: true,
});
t.teardown(() => new Promise((resolve) => stub.close(resolve)));
const bookingsSql = app.sql;

const book = (over: Record<string, unknown> = {}) =>
  call(url, "POST", "/api/bookings", { flight_id: 1, seats: 1, date: "2024-02-15", ...over }, customer.headers);
const bookings = async () => (await bookingsSql<{ n: number }[]>`SELECT count(*)::int AS n FROM bookings`)[0]!.n;

t.beforeEach(() => {
  answers = {};
  calls.length = 0;
});

t.test("flight-svc refuses the validation: 400 naming its field, no booking, no hold", async (t) => {
  answers = { "POST /api/flights/validate": refusal("date") };
  const before = await bookings();
  const r = await book();
  t.equal(r.status, 400);
  t.same(r.body, {
    message: "flight-svc refused the request: date is out of range",
    error: "validation_error",
    field: "date",
  });
  t.equal(await bookings(), before, "no booking recorded");
  t.same(calls, ["POST /api/flights/validate"]);
});

t.test("flight-svc refuses the hold: the booking fails with its 400, nothing charged", async (t) => {
  answers = { "POST /api/flights/validate": valid(100), "POST /api/flights/holds": refusal("flight_ids[0]") };
  const r = await book();
  t.equal(r.status, 400);
  t.match(r.body, { status: "failed", error: "validation_error", field: "flight_ids[0]" });
  t.notOk(calls.includes("POST /api/payments/process"), "no charge attempted");
});

t.test("payment-mock refuses the charge: the booking fails with its 400 and the hold is released", async (t) => {
  answers = {
    "POST /api/flights/validate": valid(100),
    "POST /api/flights/holds": {
      status: 201,
      body: { hold_id: "bk-N", status: "held", expires_at: "2030-01-01T00:00:00Z" },
    },
    "POST /api/payments/process": refusal("amount"),
    "DELETE /api/flights/holds/bk-N": {
      status: 200,
      body: { hold_id: "bk-N", status: "released", seats_returned: true },
    },
  };
  const r = await book();
  t.equal(r.status, 400);
  t.match(r.body, { status: "failed", error: "validation_error", field: "amount" });
  t.ok(calls.includes("DELETE /api/flights/holds/bk-N"), "the seats are given back at once");
});

t.test("a total payment-mock could not charge fails before any seat is held", async (t) => {
  answers = { "POST /api/flights/validate": valid(0) };
  const free = await book();
  t.equal(free.status, 400);
  t.match(free.body, { status: "failed", error: "validation_error", field: "flight_id", total_amount: 0 });

  answers = { "POST /api/flights/validate": valid(1_500_000) };
  const dear = await book({ seats: 9 });
  t.equal(dear.status, 400);
  t.match(dear.body, {
    status: "failed",
    error: "validation_error",
    field: "seats",
    message: /above the largest payment of 10000000/,
  });
  t.notOk(calls.includes("POST /api/flights/holds"), "no hold placed");
});
