import t from "tap";
import { fileAuth } from "../helpers/auth.js";
import { startSystem } from "../helpers/system.js";

// /metrics counts what the services did: per route template, and in the domain families.

const auth = await fileAuth();
const sys = await startSystem(t, [{ total: 50, price: 4500 }], { auth, sweeper: false });
const customer = await auth.customer();
const admin = (await auth.admin()).headers;
const [F1] = sys.flightIds as [number];

async function scrape(base: "flightCall" | "bookingCall" | "paymentCall"): Promise<Map<string, number>> {
  const res = await sys[base]("GET", "/metrics");
  t.equal(res.status, 200);
  const samples = new Map<string, number>();
  for (const line of String(res.body).split("\n")) {
    const m = /^(\S+) (\S+)$/.exec(line);
    if (m && !line.startsWith("#")) samples.set(m[1] as string, Number(m[2]));
  }
  return samples;
}

t.test("a booking, searches and flight reads show in every service's families", async (t) => {
  const body = { flight_id: F1, seats: 2, date: "2024-02-15" };
  const key = { ...customer.headers, "idempotency-key": "metrics-1" };
  t.equal((await sys.bookingCall("POST", "/api/bookings", body, key)).status, 200);
  t.equal((await sys.bookingCall("POST", "/api/bookings", body, key)).status, 200, "a replay");
  for (let i = 0; i < 3; i++) {
    t.equal(
      (await sys.flightCall("GET", "/api/flights/search?source=DEL&destination=BOM&date=2024-02-15")).status,
      200,
    );
  }
  t.equal((await sys.flightCall("GET", `/api/flights/${F1}`)).status, 200);
  t.equal((await sys.flightCall("GET", "/api/flights/999999")).status, 404);

  const flight = await scrape("flightCall");
  const route = (method: string, r: string, cls: string) =>
    flight.get(`http_requests_total{method="${method}",route="${r}",status_class="${cls}"}`);
  t.equal(route("GET", "/api/flights/:id", "2xx"), 1, "counted under the route template");
  t.equal(route("GET", "/api/flights/:id", "4xx"), 1, "by status class");
  t.notOk(
    [...flight.keys()].some((k) => k.includes("/api/flights/999999")),
    "no series per raw URL",
  );
  t.equal(
    flight.get('http_request_duration_seconds_count{method="GET",route="/api/flights/search",status_class="2xx"}'),
    3,
  );
  t.equal(flight.get("skybook_search_requests_total"), 3);
  t.equal(flight.get('skybook_search_engine_runs_total{kind="fill"}'), 1, "one miss");
  t.equal(flight.get('skybook_search_cache_lookups_total{result="l1"}'), 2, "then hits in this process");
  t.equal(flight.get('skybook_inventory_holds_total{outcome="placed"}'), 1);
  t.equal(flight.get('skybook_inventory_confirms_total{outcome="confirmed"}'), 1);
  t.equal(flight.get("skybook_inventory_active_holds"), 0, "the confirmed hold left the live set");
  t.ok((flight.get("skybook_search_engine_seconds_total") ?? 0) > 0);
  t.ok((flight.get("nodejs_heap_size_used_bytes") ?? 0) > 0, "process families");
  t.ok(flight.has("nodejs_eventloop_lag_p99_seconds"));

  const booking = await scrape("bookingCall");
  t.equal(booking.get('skybook_bookings_total{outcome="confirmed"}'), 1);
  t.equal(booking.get('skybook_idempotency_total{result="replay"}'), 1);
  t.equal(booking.get('skybook_saga_compensations_total{action="release"}'), 0);
  t.equal(booking.get("skybook_saga_oldest_pending_seconds"), 0);

  const payment = await scrape("paymentCall");
  t.equal(payment.get('skybook_payments_total{outcome="success"}'), 1);
  t.equal(payment.get("skybook_payment_refunds_total"), 0);
});

t.test("a declined payment counts as a failed booking and a compensation", async (t) => {
  await sys.paymentCall("PUT", "/api/payments/config", { failure_rate: 1 }, admin);
  t.teardown(() => sys.paymentCall("PUT", "/api/payments/config", { failure_rate: 0 }, admin));
  const res = await sys.bookingCall(
    "POST",
    "/api/bookings",
    { flight_id: F1, seats: 1, date: "2024-02-15" },
    customer.headers,
  );
  t.equal(res.body.status, "failed");
  const booking = await scrape("bookingCall");
  t.equal(booking.get('skybook_bookings_total{outcome="failed"}'), 1);
  t.equal(booking.get('skybook_saga_compensations_total{action="release"}'), 1);
  const flight = await scrape("flightCall");
  t.equal(flight.get('skybook_inventory_releases_total{outcome="released"}'), 1);
  const payment = await scrape("paymentCall");
  t.equal(payment.get('skybook_payments_total{outcome="failed"}'), 1);
});

// A rename of the Redis client's type once rewrote the word Redis in this family's help text.
t.test("help texts name Redis, not a type of the code", async (t) => {
  const res = await sys.flightCall("GET", "/metrics");
  const help = String(res.body)
    .split("\n")
    .filter((l) => l.startsWith("# HELP skybook_"));
  t.ok(help.length > 10, `${help.length} help lines`);
  t.same(
    help.filter((l) => /RedisClient/.test(l)),
    [],
  );
  t.ok(
    help.includes(
      "# HELP skybook_inventory_counter_inits_total Seat counters rebuilt from PostgreSQL because Redis had none.",
    ),
  );
});
