import t from "tap";
import { startSystem } from "../helpers/system.js";

// AUTH_MODE=off is the point here: it is the original's open API, for a drop-in behind an
// operator's own gateway. No route asks for a token, and the user is the one the body or the
// query names.

const sys = await startSystem(t, [{ total: 10, price: 5000 }], { open: true });
const [f] = sys.flightIds as [number];

t.test("no route of any service answers 401 or 403 to a call without a token", async (t) => {
  const apps = [
    ["flight-svc", sys.flightCall, sys.flight],
    ["booking-svc", sys.bookingCall, sys.booking],
    ["payment-mock", sys.paymentCall, sys.payment],
  ] as const;
  for (const [name, call, app] of apps) {
    const guarded = (app?.routeAccess ?? []).filter(
      (r) => r.access !== "anyone" && r.method !== "HEAD" && !r.url.includes("*"),
    );
    t.ok(guarded.length > 0, `${name} has routes that take a token when AUTH_MODE=required`);
    for (const r of guarded) {
      const path = r.url.replace(/:\w+/g, "1");
      const body = ["POST", "PUT", "PATCH"].includes(r.method) ? {} : undefined;
      const res = await call(r.method as Parameters<typeof call>[0], path, body);
      t.notOk([401, 403].includes(res.status), `${name} ${r.method} ${r.url}: ${res.status}`);
    }
  }
});

t.test("the calls that need a role when tokens are required work without one", async (t) => {
  const booked = await sys.bookingCall("POST", "/api/bookings", {
    user_id: 42,
    flight_id: f,
    seats: 1,
    date: "2024-02-15",
  });
  t.match(booked, { status: 200, body: { status: "confirmed" } });
  t.match(await sys.bookingCall("GET", `/api/bookings/${booked.body.booking_id}`), {
    status: 200,
    body: { user_id: 42 },
  });
  t.match(await sys.bookingCall("GET", "/api/bookings?user_id=42"), {
    status: 200,
    body: { bookings: [{ user_id: 42 }] },
  });
  t.match(await sys.flightCall("POST", "/api/flights/holds", { flight_ids: [f], seats: 1 }), { status: 201 });
  t.match(await sys.flightCall("PATCH", `/api/flights/${f}`, { price: 4200 }), { status: 200, body: { price: 4200 } });
  t.match(await sys.paymentCall("GET", "/api/payments/stats"), { status: 200, body: { success: { count: 1 } } });
  t.match(await sys.bookingCall("PUT", `/api/bookings/${booked.body.booking_id}/cancel`), {
    status: 200,
    body: { status: "cancelled" },
  });
});
