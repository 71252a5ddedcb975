import type { FastifyInstance } from "fastify";
import t, { type Test } from "tap";
import { request } from "undici";
import type { Access } from "../../lib/auth/access.js";
import { fileAuth } from "../helpers/auth.js";
import { registeredRoutes } from "../helpers/routes.js";
import { startSystem } from "../helpers/system.js";

// Every registered route of every service, each with a request that succeeds and one that
// fails, over real HTTP: every JSON body ends with "\n" (as the Go original's encoder wrote it)
// and content-length counts it. A route added without an example here fails the sweep. Each
// route's requests carry the token its access level takes (AUTH_MODE=required); the customer
// routes an admin's, which may name any user_id as these examples do.

const auth = await fileAuth();
const sys = await startSystem(
  t,
  [
    { source: "DEL", destination: "BOM", departure: "2024-02-15T08:00:00Z", minutes: 150, price: 8500 },
    { source: "BOM", destination: "BLR", departure: "2024-02-15T12:00:00Z", minutes: 90, price: 6500 },
  ],
  { auth },
);
const [service, admin] = [(await auth.service()).headers, (await auth.admin()).headers];
const TOKENS: Record<Access, Record<string, string>> = { anyone: {}, customer: admin, service, admin };
/** The headers of the caller `route` ("METHOD /path") admits. */
const callerOf = (app: FastifyInstance, route: string) =>
  TOKENS[app.routeAccess.find((r) => `${r.method} ${r.url}` === route)?.access ?? "anyone"];

// biome-ignore lint/suspicious/noExplicitAny: examples read whatever JSON came back
type Send = (method: string, path: string, status: number, body?: unknown, headers?: Record<string, string>) => any;

/** Sends one request and checks its answer's body and length; returns the parsed body. */
function sender(t: Test, base: string, caller: Record<string, string>): Send {
  return async (method, path, status, body, given = {}) => {
    const raw = typeof body === "string" ? body : body === undefined ? undefined : JSON.stringify(body);
    const headers = { ...caller, ...given };
    const res = await request(`${base}${path}`, {
      method: method as "GET",
      headers: raw === undefined ? headers : { "content-type": "application/json", ...headers },
      body: raw,
    });
    const bytes = Buffer.from(await res.body.arrayBuffer());
    const text = bytes.toString("utf8");
    const what = `${method} ${path} → ${res.statusCode}`;
    t.equal(res.statusCode, status, `${what}: ${text.slice(0, 200)}`);
    if (res.statusCode === 204) {
      t.equal(bytes.length, 0, `${what}: no body`);
      return null;
    }
    t.equal(Number(res.headers["content-length"]), bytes.length, `${what}: content-length counts every byte`);
    t.match(String(res.headers["content-type"]), /^application\/json/, `${what}: JSON`);
    t.ok(text.endsWith("\n") && !text.endsWith("\n\n"), `${what}: the body ends with one newline`);
    return JSON.parse(text);
  };
}

/** A route that answers something other than JSON: its status and content type, and no JSON newline rule. */
function otherThanJson(t: Test, base: string) {
  return async (path: string, status: number, type: RegExp) => {
    const res = await request(`${base}${path}`);
    await res.body.dump();
    t.equal(res.statusCode, status, `GET ${path}`);
    if (status === 200) t.match(String(res.headers["content-type"]), type, `GET ${path}: its own content type`);
  };
}

// Every service serves its docs and metrics through lib/observability.ts.
const OBSERVABILITY_EXAMPLES: Record<string, Example> = {
  "GET /docs/json": async (send) => {
    await send("GET", "/docs/json", 200);
  },
  "GET /docs": async (_send, other) => other("/docs", 200, /^text\/html/),
  "GET /docs/": async (_send, other) => other("/docs/", 200, /^text\/html/),
  "GET /docs/yaml": async (_send, other) => other("/docs/yaml", 200, /yaml/),
  "GET /docs/static/index.html": async (_send, other) => other("/docs/static/index.html", 302, /./),
  "GET /docs/static/swagger-initializer.js": async (_send, other) =>
    other("/docs/static/swagger-initializer.js", 200, /javascript/),
  "GET /docs/*": async (send, other) => {
    await other("/docs/static/swagger-ui.css", 200, /text\/css/);
    await send("GET", "/docs/no-such-file.css", 404);
  },
  "GET /metrics": async (_send, other) => other("/metrics", 200, /^text\/plain/),
};

const FLIGHT = {
  flight_number: "6E123",
  source: "BOM",
  destination: "CCU",
  departure_time: "2024-02-15T11:15:00Z",
  arrival_time: "2024-02-15T13:45:00Z",
  total_seats: 150,
  price: 4999.99,
};
const SEATS = { flight_id: 1, seats: 1, date: "2024-02-15" };
const CHARGE = { booking_id: 900, amount: 100, user_id: 7, payment_type: "upi" };

type Example = (send: Send, other: ReturnType<typeof otherThanJson>) => Promise<void>;

const FLIGHT_EXAMPLES: Record<string, Example> = {
  ...OBSERVABILITY_EXAMPLES,
  "POST /api/flights": async (send) => {
    await send("POST", "/api/flights", 201, FLIGHT);
    await send("POST", "/api/flights", 400, {});
    await send("POST", "/api/flights", 400, "not json");
    await send("POST", "/api/flights", 413, { ...FLIGHT, airline: "x".repeat(70_000) });
  },
  "POST /api/flights/holds": async (send) => {
    await send("POST", "/api/flights/holds", 201, { flight_ids: [1, 2], seats: 1, hold_id: "sweep-1" });
    await send("POST", "/api/flights/holds", 200, { flight_ids: [1, 2], seats: 1, hold_id: "sweep-1" });
    await send("POST", "/api/flights/holds", 404, { flight_ids: [999], seats: 1 });
    await send("POST", "/api/flights/holds", 400, { flight_ids: [], seats: 1 });
  },
  "GET /api/flights/holds/:id": async (send) => {
    await send("GET", "/api/flights/holds/sweep-1", 200);
    await send("GET", "/api/flights/holds/nothing-here", 404);
    await send("GET", "/api/flights/holds/not%20an%20id", 400);
  },
  "POST /api/flights/holds/:id/confirm": async (send) => {
    await send("POST", "/api/flights/holds/sweep-1/confirm", 200);
    await send("POST", "/api/flights/holds/nothing-here/confirm", 404);
  },
  "POST /api/flights/holds/:id/hand-over": async (send) => {
    await send("POST", "/api/flights/holds/bk-90/hand-over", 404, { to_hold_id: "bk-90-c1", flight_ids: [1] });
    await send("POST", "/api/flights/holds/bk-90/hand-over", 400, { to_hold_id: "bk-91-c1", flight_ids: [1] });
  },
  "POST /api/flights/holds/batch": async (send) => {
    const holds = [
      { hold: { flight_ids: [1], seats: 1, hold_id: "sweep-3" } },
      { hold: { flight_ids: [999], seats: 1 } },
    ];
    await send("POST", "/api/flights/holds/batch", 200, { items: holds });
    await send("POST", "/api/flights/holds/batch", 400, { items: [] });
  },
  "POST /api/flights/holds/batch-confirm": async (send) => {
    await send("POST", "/api/flights/holds/batch-confirm", 200, { items: [{ hold_id: "sweep-3" }] });
    await send("POST", "/api/flights/holds/batch-confirm", 400, { items: [{ hold_id: "not an id" }] });
  },
  "DELETE /api/flights/holds/:id": async (send) => {
    await send("POST", "/api/flights/holds", 201, { flight_ids: [1], seats: 1, hold_id: "sweep-2" });
    await send("DELETE", "/api/flights/holds/sweep-2", 200);
    await send("DELETE", "/api/flights/holds/nothing-here", 404);
  },
  "POST /api/flights/validate": async (send) => {
    await send("POST", "/api/flights/validate", 200, SEATS);
    await send("POST", "/api/flights/validate", 200, { ...SEATS, flight_id: 999 });
    await send("POST", "/api/flights/validate", 400, { flight_id: 1 });
  },
  "POST /api/flights/seats/decrement": async (send) => {
    await send("POST", "/api/flights/seats/decrement", 200, SEATS);
    await send("POST", "/api/flights/seats/decrement", 404, { ...SEATS, flight_id: 999 });
  },
  "POST /api/flights/seats/increment": async (send) => {
    await send("POST", "/api/flights/seats/increment", 200, SEATS);
    await send("POST", "/api/flights/seats/increment", 409, { ...SEATS, seats: 500 });
  },
  "GET /api/flights/search": async (send) => {
    const found = await send("GET", "/api/flights/search?source=DEL&destination=BLR&date=2024-02-15", 200);
    if (found.count !== 1) throw new Error(`expected the one connection DEL→BOM→BLR, got ${found.count}`);
    await send("GET", "/api/flights/search?source=DEL&destination=DEL&date=2024-02-15", 400);
    await send("GET", "/api/flights/search?source=DEL", 400);
  },
  "GET /api/flights/search/metrics": async (send) => {
    await send("GET", "/api/flights/search/metrics", 200);
  },
  "GET /api/flights/:id": async (send) => {
    await send("GET", "/api/flights/1", 200);
    await send("GET", "/api/flights/999", 404);
    await send("GET", "/api/flights/abc", 400);
    await send("GET", "/api/flights/%zz", 400);
  },
  "PATCH /api/flights/:id": async (send) => {
    await send("PATCH", "/api/flights/1", 200, { price: 8600 });
    await send("PATCH", "/api/flights/999", 404, { price: 1 });
    await send("PATCH", "/api/flights/1", 400, { price: "free" });
  },
  "POST /api/admin/reconcile": async (send) => {
    await send("POST", "/api/admin/reconcile", 200, { repair: false });
    await send("POST", "/api/admin/reconcile", 400, { repair: "maybe" });
  },
  "GET /api/flights/:id/seatmap": async (send) => {
    await send("GET", "/api/flights/1/seatmap", 200);
    await send("GET", "/api/flights/999/seatmap", 404);
    await send("GET", "/api/flights/abc/seatmap", 400);
  },
  "GET /api/flights/:id/seat-assignments": async (send) => {
    await send("GET", "/api/flights/1/seat-assignments?booking_id=1", 200);
    await send("GET", "/api/flights/1/seat-assignments", 400);
  },
  "POST /api/flights/:id/seat-assignments": async (send) => {
    await send("POST", "/api/flights/1/seat-assignments", 409, { booking_id: 500, passengers: [{ passenger: 0 }] });
    await send("POST", "/api/flights/1/seat-assignments", 400, { booking_id: 500, passengers: [] });
  },
  "POST /api/seat-assignments": async (send) => {
    const legs = [{ flight_id: 1, passengers: [{ passenger: 0 }] }];
    await send("POST", "/api/seat-assignments", 409, { booking_id: 500, legs });
    await send("POST", "/api/seat-assignments", 400, { booking_id: 500, legs: [] });
  },
  "GET /health": async (send) => {
    await send("GET", "/health", 200);
  },
  "GET /ready": async (send) => {
    await send("GET", "/ready", 200);
  },
};

const BOOKING_EXAMPLES: Record<string, Example> = {
  ...OBSERVABILITY_EXAMPLES,
  "POST /api/bookings": async (send) => {
    const book = { user_id: 7, flight_ids: [1, 2], seats: 1, date: "2024-02-15" };
    const key = { "idempotency-key": "sweep-book-1" };
    await send("POST", "/api/bookings", 200, book, key);
    await send("POST", "/api/bookings", 200, book, key);
    await send("POST", "/api/bookings", 422, { ...book, seats: 2 }, key);
    await send("POST", "/api/bookings", 400, { ...book, flight_ids: [999] });
    await send("POST", "/api/bookings", 400, { user_id: 7 });
    await send("POST", "/api/bookings", 400, "invalid json");
  },
  "GET /api/bookings": async (send) => {
    await send("GET", "/api/bookings?user_id=7", 200);
    await send("GET", "/api/bookings", 400);
  },
  "GET /api/bookings/:id": async (send) => {
    await send("GET", "/api/bookings/1", 200);
    await send("GET", "/api/bookings/999", 404);
    await send("GET", "/api/bookings/abc", 400);
  },
  "PUT /api/bookings/:id/cancel": async (send) => {
    await send("PUT", "/api/bookings/1/cancel", 200);
    await send("PUT", "/api/bookings/999/cancel", 404);
  },
  "POST /api/bookings/:id/check-in": async (send) => {
    await send("POST", "/api/bookings/1/check-in", 409, {});
    await send("POST", "/api/bookings/999/check-in", 404, {});
    await send("POST", "/api/bookings/1/check-in", 400, { seats: "window" });
  },
  "GET /api/bookings/:id/boarding-passes": async (send) => {
    await send("GET", "/api/bookings/1/boarding-passes", 200);
    await send("GET", "/api/bookings/999/boarding-passes", 404);
  },
  "GET /api/boarding-passes/public-key": async (send) => {
    await send("GET", "/api/boarding-passes/public-key", 200);
  },
  "POST /api/boarding-passes/verify": async (send) => {
    await send("POST", "/api/boarding-passes/verify", 200, { barcode: "SB1.e30.AAAA" });
    await send("POST", "/api/boarding-passes/verify", 400, {});
  },
  "POST /api/bookings/:id/change": async (send) => {
    // Booking 1 is cancelled by now (and its flights departed): refused either way.
    await send("POST", "/api/bookings/1/change", 409, { flight_ids: [2], date: "2024-02-15" });
    await send("POST", "/api/bookings/999/change", 404, { flight_ids: [2], date: "2024-02-15" });
    await send("POST", "/api/bookings/1/change", 400, { flight_ids: [] });
  },
  "GET /health": async (send) => {
    await send("GET", "/health", 200);
  },
  "GET /ready": async (send) => {
    await send("GET", "/ready", 200);
  },
};

const PAYMENT_EXAMPLES: Record<string, Example> = {
  ...OBSERVABILITY_EXAMPLES,
  "POST /api/payments/process": async (send) => {
    await send("POST", "/api/payments/process", 200, CHARGE, { "idempotency-key": "sweep-pay-1" });
    await send("POST", "/api/payments/process", 400, { ...CHARGE, payment_type: "cash" });
  },
  "POST /api/payments/simulate/success": async (send) => {
    await send("POST", "/api/payments/simulate/success", 200, { ...CHARGE, booking_id: 901 });
  },
  "POST /api/payments/simulate/failure": async (send) => {
    await send("POST", "/api/payments/simulate/failure", 200, { ...CHARGE, booking_id: 902 });
  },
  "POST /api/payments/simulate/timeout": async (send) => {
    await send("POST", "/api/payments/simulate/timeout", 408, { ...CHARGE, booking_id: 903 });
  },
  "GET /api/payments/stats": async (send) => {
    await send("GET", "/api/payments/stats", 200);
  },
  "GET /api/payments/by-key/:key": async (send) => {
    await send("GET", "/api/payments/by-key/sweep-pay-1", 200);
    await send("GET", "/api/payments/by-key/nothing-here", 404);
  },
  "POST /api/payments/refund": async (send) => {
    const paid = await send("POST", "/api/payments/process", 200, { ...CHARGE, booking_id: 904 });
    await send("POST", "/api/payments/refund", 200, { payment_id: paid.payment_id });
    await send("POST", "/api/payments/refund", 404, { payment_id: "pay_nothing_1" });
  },
  "POST /api/payments/reset": async (send) => {
    await send("POST", "/api/payments/reset", 204);
  },
  "GET /api/payments/config": async (send) => {
    await send("GET", "/api/payments/config", 200);
  },
  "PUT /api/payments/config": async (send) => {
    await send("PUT", "/api/payments/config", 200, { latency_ms: 0 });
    await send("PUT", "/api/payments/config", 400, { failure_rate: 2 });
  },
  "GET /api/payments/:payment_id": async (send) => {
    const paid = await send("POST", "/api/payments/process", 200, { ...CHARGE, booking_id: 905 });
    await send("GET", `/api/payments/${paid.payment_id}`, 200);
    await send("GET", "/api/payments/pay_nothing_1", 404);
  },
  "GET /health": async (send) => {
    await send("GET", "/health", 200);
  },
  "GET /ready": async (send) => {
    await send("GET", "/ready", 200);
  },
};

const services: [string, FastifyInstance, string, Record<string, Example>][] = [
  ["flight-svc", sys.flight, sys.flightUrl, FLIGHT_EXAMPLES],
  ["booking-svc", sys.booking as FastifyInstance, sys.bookingUrl, BOOKING_EXAMPLES],
  ["payment-mock", sys.payment, sys.paymentUrl, PAYMENT_EXAMPLES],
];

for (const [service, app, base, examples] of services) {
  t.test(`${service}: every route's answers end with a newline`, async (t) => {
    const routes = registeredRoutes(app);
    t.strictSame(
      routes.filter((r) => !(r in examples)),
      [],
      "every route has an example",
    );
    t.strictSame(
      Object.keys(examples).filter((r) => !routes.includes(r)),
      [],
      "every example is a route",
    );
    for (const route of routes) {
      const example = examples[route];
      const caller = callerOf(app, route);
      if (example) await t.test(route, async (t) => example(sender(t, base, caller), otherThanJson(t, base)));
    }
    await t.test("no such route", async (t) => {
      await sender(t, base, {})("GET", "/no/such/route", 404);
    });
  });
}

t.test("HEAD counts the newline in content-length, as GET sends it", async (t) => {
  const get = await request(`${sys.flightUrl}/api/flights/2`);
  const body = await get.body.text();
  const head = await request(`${sys.flightUrl}/api/flights/2`, { method: "HEAD" });
  await head.body.dump();
  t.ok(body.endsWith("}\n"));
  t.equal(head.headers["content-length"], String(Buffer.byteLength(body)));
});
