import t from "tap";
import { type Account, startAuth } from "../helpers/auth.js";
import { startSystem } from "../helpers/system.js";

// The role table of docs/api.md, route by route, against real services in AUTH_MODE=required.

t.test("who may call what on flight-svc and payment-mock", async (t) => {
  const auth = await startAuth(t);
  const sys = await startSystem(t, [{ total: 10 }], { auth });
  const [f] = sys.flightIds as [number];
  const customer = await auth.customer();
  const admin = await auth.admin();
  const service = await auth.service();
  const none: Account = { userId: 0, token: "", headers: {} };
  type Call = (who: Account) => ReturnType<typeof sys.flightCall>;
  const seats = { flight_id: f, seats: 1, date: "2024-02-15" };
  const routes: [string, Call, Account[]][] = [
    [
      "search",
      (w) =>
        sys.flightCall("GET", "/api/flights/search?source=DEL&destination=BOM&date=2024-02-15", undefined, w.headers),
      [none],
    ],
    ["GET flight", (w) => sys.flightCall("GET", `/api/flights/${f}`, undefined, w.headers), [none]],
    ["validate", (w) => sys.flightCall("POST", "/api/flights/validate", seats, w.headers), [none]],
    ["health", (w) => sys.flightCall("GET", "/health", undefined, w.headers), [none]],
    ["ready", (w) => sys.bookingCall("GET", "/ready", undefined, w.headers), [none]],
    ["docs", (w) => sys.paymentCall("GET", "/docs/json", undefined, w.headers), [none]],
    ["metrics", (w) => sys.flightCall("GET", "/metrics", undefined, w.headers), [none]],
    ["PATCH flight", (w) => sys.flightCall("PATCH", `/api/flights/${f}`, { price: 4200 }, w.headers), [admin]],
    ["reconcile", (w) => sys.flightCall("POST", "/api/admin/reconcile", {}, w.headers), [admin]],
    ["hold", (w) => sys.flightCall("POST", "/api/flights/holds", { flight_ids: [f], seats: 1 }, w.headers), [service]],
    ["decrement", (w) => sys.flightCall("POST", "/api/flights/seats/decrement", seats, w.headers), [service]],
    ["increment", (w) => sys.flightCall("POST", "/api/flights/seats/increment", seats, w.headers), [service]],
    [
      "payment",
      (w) =>
        sys.paymentCall(
          "POST",
          "/api/payments/process",
          { booking_id: 1, amount: 10, user_id: 1, payment_type: "credit_card" },
          w.headers,
        ),
      [service],
    ],
    ["payment config", (w) => sys.paymentCall("PUT", "/api/payments/config", { failure_rate: 0 }, w.headers), [admin]],
    ["payment stats", (w) => sys.paymentCall("GET", "/api/payments/stats", undefined, w.headers), [admin]],
  ];
  for (const [name, call, allowed] of routes) {
    for (const who of [none, customer, admin, service]) {
      const role = who === none ? "no token" : who === customer ? "customer" : who === admin ? "admin" : "service";
      const res = await call(who);
      if (allowed.includes(none) || allowed.includes(who)) {
        t.ok(res.status < 400, `${name}: ${role} may (${res.status})`);
      } else if (who === none) {
        t.match(res, { status: 401, body: { error: "unauthorized" } }, `${name}: no token is 401`);
      } else {
        t.match(res, { status: 403, body: { error: "forbidden" } }, `${name}: ${role} is 403`);
        const article = role === "admin" ? "An" : "A";
        t.match(
          res.body.message,
          new RegExp(`^${article} ${role} token may not do this; it takes `),
          `${name}: says so`,
        );
      }
    }
  }
});

t.test("a customer cannot patch flights, hold seats or set payment config, and nothing changes", async (t) => {
  const auth = await startAuth(t);
  const sys = await startSystem(t, [{ total: 10, price: 5000 }], { auth });
  const [f] = sys.flightIds as [number];
  const c = await auth.customer();
  t.equal((await sys.flightCall("PATCH", `/api/flights/${f}`, { price: 1 }, c.headers)).status, 403);
  t.equal((await sys.flightCall("POST", "/api/flights/holds", { flight_ids: [f], seats: 9 }, c.headers)).status, 403);
  t.equal((await sys.paymentCall("PUT", "/api/payments/config", { failure_rate: 1 }, c.headers)).status, 403);
  t.match(await sys.flightCall("GET", `/api/flights/${f}`), { body: { price: 5000, available_seats: 10 } });
  t.match(await sys.paymentCall("GET", "/api/payments/config", undefined, (await auth.admin()).headers), {
    status: 200,
    body: { failure_rate: 0 },
  });
});
