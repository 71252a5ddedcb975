import t, { type Test } from "tap";
import { type CurlAnswer, curl } from "../helpers/curl.js";
import { startMadeUp } from "../helpers/made-up.js";

// The Go original's clients, played against the system as `make up` starts it with
// DEMO_FLIGHTS_PER_DAY=0 (the original's 16 flights): the requests of its API test script and
// of its setup guide's examples, made with curl the way that script made them (`-w "HTTP
// %{http_code}"`, the status read from the last line, one field read from the JSON body).
// Payments succeed at once here; the original's script expected that too. Its clients send no
// token: the services run with AUTH_MODE=off, the original's open API.

const sys = await startMadeUp(t, { env: { DEMO_FLIGHTS_PER_DAY: "0", AUTH_MODE: "off" } });
const json = (body: unknown) => ["-H", "Content-Type: application/json", "-d", JSON.stringify(body)];
const post = (base: string, path: string, body: unknown) => ["-X", "POST", `${base}${path}`, ...json(body)];

/** The checks every answer passes: the status line stands alone, the body is JSON ending in "\n". */
function wire(t: Test, a: CurlAnswer, status: string): void {
  t.equal(a.statusLine, `HTTP ${status}`, "the status line stands alone after the body");
  t.equal(a.status, status);
  t.ok(a.body.endsWith("}\n"), "the body ends with a newline");
  t.ok(a.json !== undefined, "the body is JSON");
}

// biome-ignore lint/suspicious/noExplicitAny: the checks read whatever JSON came back
const body = (a: CurlAnswer) => a.json as any;

t.test("flight search DEL→BOM, 2 seats, cheapest: the 3 direct flights", async (t) => {
  const a = await curl([
    `${sys.flightUrl}/api/flights/search?source=DEL&destination=BOM&date=2024-02-15&seats=2&sort_by=cheapest`,
  ]);
  wire(t, a, "200");
  t.equal(body(a).count, 3);
  t.same(
    body(a).paths.map((p: { stops: number; total_price: number; flights: { flight_number: string }[] }) => [
      p.flights.map((f) => f.flight_number).join(">"),
      p.stops,
      p.total_price,
    ]),
    [
      ["AI103", 0, 7800],
      ["AI101", 0, 8500],
      ["AI102", 0, 9200],
    ],
  );
});

t.test("flight search DEL→BLR, 1 seat, fastest (the setup guide's second search)", async (t) => {
  const a = await curl([
    `${sys.flightUrl}/api/flights/search?source=DEL&destination=BLR&date=2024-02-15&seats=1&sort_by=fastest`,
  ]);
  wire(t, a, "200");
  const minutes = body(a).paths.map((p: { total_time_minutes: number }) => p.total_time_minutes);
  t.same(
    minutes,
    [...minutes].sort((x: number, y: number) => x - y),
    "fastest first",
  );
  t.same(body(a).paths[0].flights[0].flight_number, "AI201");
});

t.test("validate flight 1 for 2 seats: valid", async (t) => {
  const a = await curl(post(sys.flightUrl, "/api/flights/validate", { flight_id: 1, seats: 2, date: "2024-02-15" }));
  wire(t, a, "200");
  t.match(body(a), { valid: true, price: 8500, available_seats: 130 });
});

t.test("validate flight 999 for 1000 seats: valid false", async (t) => {
  const a = await curl(
    post(sys.flightUrl, "/api/flights/validate", { flight_id: 999, seats: 1000, date: "2024-02-15" }),
  );
  wire(t, a, "200");
  t.equal(body(a).valid, false);
});

t.test("flight 999: not found", async (t) => {
  const a = await curl([`${sys.flightUrl}/api/flights/999`]);
  wire(t, a, "404");
  t.equal(body(a).error, "flight_not_found");
});

t.test("health of every service", async (t) => {
  for (const base of [sys.flightUrl, sys.bookingUrl, sys.paymentUrl]) {
    const a = await curl([`${base}/health`]);
    wire(t, a, "200");
    t.equal(body(a).status, "healthy");
  }
});

t.test("a booking of flight 1, 2 seats: 200 confirmed, and it can be read", async (t) => {
  const a = await curl(
    post(sys.bookingUrl, "/api/bookings", { user_id: 1, flight_id: 1, seats: 2, date: "2024-02-15" }),
  );
  wire(t, a, "200");
  t.match(body(a), { booking_id: 1, status: "confirmed", total_amount: 17000 });
  const read = await curl([`${sys.bookingUrl}/api/bookings/1`]);
  wire(t, read, "200");
  t.match(body(read), { booking_id: 1, status: "confirmed", seats: 2 });
  const seats = await curl(
    post(sys.flightUrl, "/api/flights/validate", { flight_id: 1, seats: 2, date: "2024-02-15" }),
  );
  t.equal(body(seats).available_seats, 128);
});

t.test("a booking of flight 999: 400 failed", async (t) => {
  const a = await curl(
    post(sys.bookingUrl, "/api/bookings", { user_id: 2, flight_id: 999, seats: 2, date: "2024-02-15" }),
  );
  wire(t, a, "400");
  t.equal(body(a).status, "failed");
});

t.test("payments: process, forced success, failure and timeout", async (t) => {
  const pay = (path: string, booking_id: number, amount: number, payment_type: string) =>
    curl(post(sys.paymentUrl, path, { booking_id, amount, user_id: booking_id, payment_type }));
  const cases: [string, number, number, string, string, string][] = [
    ["/api/payments/process", 1, 17000, "credit_card", "200", "success"],
    ["/api/payments/simulate/success", 1, 17000, "credit_card", "200", "success"],
    ["/api/payments/simulate/failure", 2, 1000, "credit_card", "200", "failed"],
    ["/api/payments/simulate/timeout", 3, 1500, "debit_card", "408", "timeout"],
    ["/api/payments/simulate/success", 4, 2000, "upi", "200", "success"],
  ];
  for (const [path, id, amount, type, status, outcome] of cases) {
    const a = await pay(path, id, amount, type);
    wire(t, a, status);
    t.equal(body(a).status, outcome, `${path} for booking ${id}`);
  }
});

t.test("errors: an unknown path, a body that is not JSON, missing fields", async (t) => {
  wire(t, await curl([`${sys.flightUrl}/api/invalid`]), "404");
  wire(
    t,
    await curl([
      "-X",
      "POST",
      `${sys.bookingUrl}/api/bookings`,
      "-H",
      "Content-Type: application/json",
      "-d",
      "invalid json",
    ]),
    "400",
  );
  wire(t, await curl(post(sys.bookingUrl, "/api/bookings", { user_id: 1 })), "400");
});

t.test("seats: decrement and increment flight 1", async (t) => {
  const change = { flight_id: 1, seats: 2, date: "2024-02-15" };
  const down = await curl(post(sys.flightUrl, "/api/flights/seats/decrement", change));
  wire(t, down, "200");
  t.match(body(down), { success: true, available_seats: 126 });
  const up = await curl(post(sys.flightUrl, "/api/flights/seats/increment", change));
  wire(t, up, "200");
  t.match(body(up), { success: true, available_seats: 128 });
});

t.test("cancel booking 1: cancelled, its seats back", async (t) => {
  const a = await curl(["-X", "PUT", `${sys.bookingUrl}/api/bookings/1/cancel`]);
  wire(t, a, "200");
  t.equal(body(a).status, "cancelled");
  const seats = await curl(
    post(sys.flightUrl, "/api/flights/validate", { flight_id: 1, seats: 2, date: "2024-02-15" }),
  );
  t.equal(body(seats).available_seats, 130);
});
