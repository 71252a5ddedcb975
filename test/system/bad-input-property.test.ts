import type { TSchema } from "@sinclair/typebox";
import fc from "fast-check";
import type { FastifyInstance } from "fastify";
import t from "tap";
import { request } from "undici";
import { ChangeBody } from "../../booking-svc/change/change-schemas.js";
import { CheckInBody, VerifyBody } from "../../booking-svc/check-in/schemas.js";
import { CancelBody, CreateBody, IdParams, ListQuery, OwnerQuery } from "../../booking-svc/schemas.js";
import { FlightParams, FlightSeats } from "../../contracts/flight-svc/flights.js";
import { ConfirmBatch, HandOverRequest, HoldBatch, HoldParams, HoldRequest } from "../../contracts/flight-svc/holds.js";
import {
  LegSeatsRequest,
  SeatAssignmentParams,
  SeatAssignmentQuery,
  SeatAssignmentRequest,
} from "../../contracts/flight-svc/seats.js";
import { PaymentConfigPatch } from "../../contracts/payment-mock/admin.js";
import {
  KeyParams,
  PaymentIdParams,
  ProcessHeaders,
  ProcessRequest,
  RefundRequest,
} from "../../contracts/payment-mock/payments.js";
import { FlightCreate, FlightPatch } from "../../flight-svc/flights/schemas.js";
import { ReconcileBody } from "../../flight-svc/inventory/schemas.js";
import { SearchQuery } from "../../flight-svc/search/schemas.js";
import type { Access } from "../../lib/auth/access.js";
import { CATALOGUE } from "../../lib/errors.js";
import { IdempotencyHeaders } from "../../lib/input-schemas.js";
import { fileAuth } from "../helpers/auth.js";
import { type BadRequest, badRequests, type Route, type Schema } from "../helpers/bad-input.js";
import { DATE, newFlight, seedTargets } from "../helpers/refusal-fixtures.js";
import { registeredRoutes } from "../helpers/routes.js";
import { snapshot } from "../helpers/state-snapshot.js";
import { startSystem } from "../helpers/system.js";

// Every route of the three services gets bad input generated from its own schemas (one broken
// thing per request: a type, a range, a pattern, a missing or unknown field, a non-decimal id,
// a repeated parameter, a body that is not UTF-8 JSON, ...). Each must be answered with the
// expected 4xx in the catalogue shape, naming the field; and after all of them nothing has
// changed: no seat held, no booking row, no charge, no setting. Each request carries the token
// its route's access level takes (AUTH_MODE=required), so that what is refused is the input.

// Requests per route; a longer hand-run probe: BAD_INPUT_RUNS=2000 scripts/test.sh --timeout 900 test/system/bad-input-property.test.ts
const RUNS = Number(process.env.BAD_INPUT_RUNS ?? 60);
const auth = await fileAuth();
const sys = await startSystem(
  t,
  [
    { total: 100, price: 1000 },
    { total: 100, price: 2000 },
    { total: 100, price: 3000 },
    { total: 100, price: 4000 },
  ],
  { auth },
);
const [customer, service, admin] = [await auth.customer(), await auth.service(), await auth.admin()];
const tokens: Record<Access, Record<string, string>> = {
  anyone: {},
  customer: customer.headers,
  service: service.headers,
  admin: admin.headers,
};
const user = customer.userId;

const { paymentId } = await seedTargets(sys, { customer, service });

const S = (schema: TSchema) => schema as unknown as Schema;
const seatChange = { flight_id: 2, seats: 1, date: DATE };
const charge = { booking_id: 99, amount: 5, user_id: user, payment_type: "upi" };
const noInput = (method: Route["method"], path: string): Route => ({ method, path, schema: {}, valid: {} });
// Every service's health, metrics and API documentation: no input but the query string.
const health = [
  "/health",
  "/ready",
  "/metrics",
  "/docs",
  "/docs/",
  "/docs/static/*",
  "/docs/json",
  "/docs/yaml",
  "/docs/static/index.html",
  "/docs/static/swagger-initializer.js",
].map((path) => noInput("GET", path));

const flightRoutes: Route[] = [
  ...health,
  {
    method: "POST",
    path: "/api/flights",
    schema: { body: S(FlightCreate), headers: S(IdempotencyHeaders) },
    valid: { body: newFlight({ airline: "Skybook", status: "scheduled" }) },
  },
  { method: "GET", path: "/api/flights/:id", schema: { params: S(FlightParams) }, valid: { params: { id: "1" } } },
  {
    method: "PATCH",
    path: "/api/flights/:id",
    schema: { params: S(FlightParams), body: S(FlightPatch) },
    valid: { params: { id: "4" }, body: { price: 4500, total_seats: 120 } },
  },
  {
    method: "GET",
    path: "/api/flights/search",
    schema: { query: S(SearchQuery) },
    valid: { query: { source: "DEL", destination: "BOM", date: DATE, seats: "1", limit: "5" } },
  },
  noInput("GET", "/api/flights/search/metrics"),
  {
    method: "POST",
    path: "/api/flights/holds",
    schema: { body: S(HoldRequest) },
    valid: { body: { flight_ids: [2, 4], seats: 1, ttl_seconds: 60, hold_id: "new-hold" } },
  },
  ...(["GET", "DELETE"] as const).map((method) => ({
    method,
    path: "/api/flights/holds/:id",
    schema: { params: S(HoldParams) },
    valid: { params: { id: "kept-hold" } },
  })),
  {
    method: "POST",
    path: "/api/flights/holds/:id/confirm",
    schema: { params: S(HoldParams) },
    valid: { params: { id: "kept-hold" } },
  },
  {
    method: "POST",
    path: "/api/flights/holds/:id/hand-over",
    schema: { params: S(HoldParams), body: S(HandOverRequest) },
    valid: { params: { id: "bk-1" }, body: { to_hold_id: "bk-1-c1", flight_ids: [2] } },
  },
  {
    method: "POST",
    path: "/api/flights/holds/batch",
    schema: { body: S(HoldBatch) },
    valid: {
      body: { items: [{ hold: { flight_ids: [2, 4], seats: 1, hold_id: "new-batch-hold" }, request_id: "r-1" }] },
    },
  },
  {
    method: "POST",
    path: "/api/flights/holds/batch-confirm",
    schema: { body: S(ConfirmBatch) },
    valid: { body: { items: [{ hold_id: "kept-hold", request_id: "r-2" }] } },
  },
  ...["validate", "seats/decrement", "seats/increment"].map(
    (p): Route => ({
      method: "POST",
      path: `/api/flights/${p}`,
      schema: { body: S(FlightSeats) },
      valid: { body: seatChange },
    }),
  ),
  {
    method: "POST",
    path: "/api/admin/reconcile",
    schema: { body: S(ReconcileBody) },
    valid: { body: { repair: true } },
    optionalBody: true,
  },
  {
    method: "GET",
    path: "/api/flights/:id/seatmap",
    schema: { params: S(SeatAssignmentParams) },
    valid: { params: { id: "1" } },
  },
  {
    method: "GET",
    path: "/api/flights/:id/seat-assignments",
    schema: { params: S(SeatAssignmentParams), query: S(SeatAssignmentQuery) },
    valid: { params: { id: "1" }, query: { booking_id: "1" } },
  },
  {
    method: "POST",
    path: "/api/flights/:id/seat-assignments",
    schema: { params: S(SeatAssignmentParams), body: S(SeatAssignmentRequest) },
    valid: { params: { id: "1" }, body: { booking_id: 1, passengers: [{ passenger: 0, seat: "1A" }] } },
  },
  {
    method: "POST",
    path: "/api/seat-assignments",
    schema: { body: S(LegSeatsRequest) },
    valid: { body: { booking_id: 1, legs: [{ flight_id: 1, passengers: [{ passenger: 0, seat: "1A" }] }] } },
  },
];

const bookingRoutes: Route[] = [
  ...health,
  {
    method: "POST",
    path: "/api/bookings",
    schema: { body: S(CreateBody), headers: S(IdempotencyHeaders) },
    valid: {
      body: {
        user_id: user,
        flight_id: 2,
        seats: 1,
        date: DATE,
        payment_type: "upi",
        passengers: [{ name: "Asha Rao", email: "asha@example.com" }],
      },
      headers: { "idempotency-key": "property-1" },
    },
  },
  {
    method: "GET",
    path: "/api/bookings/:id",
    schema: { params: S(IdParams), query: S(OwnerQuery) },
    valid: { params: { id: "1" }, query: { user_id: String(user) } },
  },
  {
    method: "GET",
    path: "/api/bookings",
    schema: { query: S(ListQuery) },
    valid: { query: { user_id: String(user), limit: "10", cursor: "5" } },
  },
  {
    method: "PUT",
    path: "/api/bookings/:id/cancel",
    schema: { params: S(IdParams), body: S(CancelBody), headers: S(IdempotencyHeaders) },
    valid: { params: { id: "1" }, body: {}, headers: { "idempotency-key": "property-cancel-1" } },
    optionalBody: true,
  },
  {
    method: "POST",
    path: "/api/bookings/:id/check-in",
    schema: { params: S(IdParams), body: S(CheckInBody) },
    valid: { params: { id: "1" }, body: { seats: [{ passenger: "Asha Rao", flight_id: 2, seat: "1A" }] } },
    optionalBody: true,
  },
  {
    method: "GET",
    path: "/api/bookings/:id/boarding-passes",
    schema: { params: S(IdParams) },
    valid: { params: { id: "1" } },
  },
  noInput("GET", "/api/boarding-passes/public-key"),
  {
    method: "POST",
    path: "/api/boarding-passes/verify",
    schema: { body: S(VerifyBody) },
    valid: { body: { barcode: "SB1.e30.AAAA" } },
  },
  {
    method: "POST",
    path: "/api/bookings/:id/change",
    schema: { params: S(IdParams), body: S(ChangeBody), headers: S(IdempotencyHeaders) },
    valid: {
      params: { id: "1" },
      body: { flight_ids: [2], date: DATE },
      headers: { "idempotency-key": "property-change-1" },
    },
  },
];

const processRoute = (path: string): Route => ({
  method: "POST",
  path,
  schema: { body: S(ProcessRequest), headers: S(ProcessHeaders) },
  valid: { body: charge, headers: { "idempotency-key": "property-1", "x-mock-outcome": "success" } },
});

const paymentRoutes: Route[] = [
  ...health,
  processRoute("/api/payments/process"),
  ...["success", "failure", "timeout"].map((o) => processRoute(`/api/payments/simulate/${o}`)),
  noInput("GET", "/api/payments/stats"),
  {
    method: "GET",
    path: "/api/payments/by-key/:key",
    schema: { params: S(KeyParams) },
    valid: { params: { key: "booking-1" } },
  },
  {
    method: "GET",
    path: "/api/payments/:payment_id",
    schema: { params: S(PaymentIdParams) },
    valid: { params: { payment_id: paymentId } },
  },
  {
    method: "POST",
    path: "/api/payments/refund",
    schema: { body: S(RefundRequest), headers: S(IdempotencyHeaders) },
    valid: { body: { payment_id: paymentId, amount: 1 }, headers: { "idempotency-key": "property-refund" } },
  },
  noInput("POST", "/api/payments/reset"),
  noInput("GET", "/api/payments/config"),
  {
    method: "PUT",
    path: "/api/payments/config",
    schema: { body: S(PaymentConfigPatch) },
    valid: { body: { failure_rate: 0.5, timeout_rate: 0.1, latency_ms: 100, timeout_outcome: "processed", seed: 3 } },
    optionalBody: true,
  },
];

/** The headers of the caller the route admits (docs pages, opened by prefix, are anyone's). */
const callerOf = (app: FastifyInstance, route: Route) =>
  tokens[app.routeAccess.find((r) => r.method === route.method && r.url === route.path)?.access ?? "anyone"];

async function send(base: string, app: FastifyInstance, route: Route, bad: BadRequest) {
  const path = route.path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(bad.params[name] ?? ""));
  const query = bad.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
  const headers: Record<string, string> = { ...callerOf(app, route), ...bad.headers };
  if (bad.body) headers["content-type"] = bad.body.contentType;
  if (bad.body?.contentEncoding) headers["content-encoding"] = bad.body.contentEncoding;
  const res = await request(`${base}${path}${query ? `?${query}` : ""}`, {
    method: route.method,
    headers,
    body: bad.body?.data,
  });
  const text = await res.body.text();
  let body: Record<string, unknown> | null = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  return { status: res.statusCode, body, text };
}

const services: [string, string, FastifyInstance, Route[]][] = [
  ["flight-svc", sys.flightUrl, sys.flight, flightRoutes],
  ["booking-svc", sys.bookingUrl, sys.booking as FastifyInstance, bookingRoutes],
  ["payment-mock", sys.paymentUrl, sys.payment, paymentRoutes],
];

const before = await snapshot(sys, admin.headers);

// The route tree prints a wildcard without its static prefix (/docs/static/* as /docs/*), so
// the table is checked against the router itself, and counted against the tree.
t.test("the generator covers every route each service serves", async (t) => {
  for (const [name, , app, routes] of services) {
    const listed = new Set(routes.map((r) => `${r.method} ${r.path}`));
    t.equal(listed.size, registeredRoutes(app).length, `${name}: as many routes as it registers`);
    for (const r of routes) t.ok(app.hasRoute({ method: r.method, url: r.path }), `${name}: ${r.method} ${r.path}`);
  }
});

for (const [name, base, app, routes] of services) {
  for (const route of routes) {
    t.test(`${name} ${route.method} ${route.path}: refused in the catalogue shape, naming the field`, async (t) => {
      await fc.assert(
        fc.asyncProperty(badRequests(route), async (bad) => {
          const r = await send(base, app, route, bad);
          const e = bad.expect;
          const ok =
            r.status === e.status &&
            r.body !== null &&
            r.body.error === e.error &&
            r.body.error in CATALOGUE &&
            typeof r.body.message === "string" &&
            (e.field === undefined || r.body.field === e.field);
          if (!ok) {
            throw new Error(`${bad.what}: expected ${JSON.stringify(e)}, got ${r.status} ${r.text.slice(0, 300)}`);
          }
        }),
        { numRuns: RUNS },
      );
      t.pass(`${RUNS} bad requests`);
    });
  }
}

t.test("after all of them: no seat held, no booking, no charge, nothing changed", async (t) => {
  t.same(await snapshot(sys, admin.headers), before);
});
