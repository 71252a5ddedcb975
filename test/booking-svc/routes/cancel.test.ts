import t, { type Test } from "tap";
import { fileAuth } from "../../helpers/auth.js";
import { seedFlights } from "../../helpers/flight-svc.js";
import { head, rawRequest } from "../../helpers/raw-http.js";
import { startSystem } from "../../helpers/system.js";

// DESIGN.md invariant 5: a cancellation gives its seats back exactly once and refunds once.
const auth = await fileAuth();
const sys = await startSystem(t, [{ total: 20, price: 800 }], { auth });
const [F] = sys.flightIds as [number];
const customer = await auth.customer();
const admin = (await auth.admin()).headers;
const service = (await auth.service()).headers;
const book = async (seats = 2) => {
  const r = await sys.bookingCall(
    "POST",
    "/api/bookings",
    { flight_id: F, seats, date: "2024-02-15" },
    customer.headers,
  );
  return r.body.booking_id as number;
};
const cancel = (id: number, key?: string) =>
  sys.bookingCall(
    "PUT",
    `/api/bookings/${id}/cancel`,
    undefined,
    key ? { ...customer.headers, "idempotency-key": key } : customer.headers,
  );
const flight = async () =>
  (await sys.flightsSql<{ booked_seats: number }[]>`SELECT booked_seats FROM flights WHERE id = ${F}`)[0]!.booked_seats;
const available = async () => (await sys.flight.inventory.availableSeats([F]))[0];
const refunds = async () =>
  (await sys.paymentCall("GET", "/api/payments/stats", undefined, admin)).body.refunds.count as number;

t.test("cancel twice: one release, one refund, the same answer", async (t) => {
  const keep = await book(3);
  const id = await book(2);
  t.equal(await flight(), 5);
  const before = await refunds();
  const first = await cancel(id);
  t.equal(first.status, 200);
  t.match(first.body, { booking_id: id, status: "cancelled", total_amount: 1600, payment_id: /^pay/, refund_id: /./ });
  const second = await cancel(id);
  t.equal(second.status, 200);
  t.same(second.body, first.body);
  t.equal(await flight(), 3, "the two seats came back once; the other booking keeps its three");
  t.equal(await available(), 17);
  t.equal(await refunds(), before + 1);
  const payment = await sys.paymentOf(id, service);
  t.match(payment.body, { status: "success", refunded_amount: 1600 });
  const got = await sys.bookingCall("GET", `/api/bookings/${id}`, undefined, customer.headers);
  t.match(got.body, { status: "cancelled", cancelled_at: String, refund_id: first.body.refund_id });
  t.equal(
    (await sys.bookingCall("GET", `/api/bookings/${keep}`, undefined, customer.headers)).body.status,
    "confirmed",
  );
});

t.test("two cancels at the same moment still release once", async (t) => {
  const id = await book(4);
  const seatsBefore = await flight();
  const before = await refunds();
  const replies = await Promise.all([cancel(id), cancel(id)]);
  for (const r of replies) t.ok(r.status === 200 || (r.status === 409 && r.body.error === "request_in_progress"));
  t.ok(replies.some((r) => r.status === 200));
  t.equal(await flight(), seatsBefore - 4);
  t.equal(await refunds(), before + 1);
  t.equal((await cancel(id)).body.status, "cancelled");
});

t.test("a cancel with an Idempotency-Key: the retry replays the answer, marked, and releases nothing", async (t) => {
  const id = await book(2);
  const seatsBefore = await flight();
  const before = await refunds();
  const first = await cancel(id, "cancel-1");
  t.equal(first.status, 200);
  t.notOk(first.headers["idempotent-replayed"]);
  const again = await cancel(id, "cancel-1");
  t.equal(again.status, 200);
  t.equal(again.headers["idempotent-replayed"], "true");
  t.same(again.body, first.body);
  t.equal(await flight(), seatsBefore - 2, "released once");
  t.equal(await refunds(), before + 1, "refunded once");

  const other = await book(1);
  const elsewhere = await cancel(other, "cancel-1");
  t.match(elsewhere, { status: 200, body: { booking_id: other, status: "cancelled" } });
  t.notOk(elsewhere.headers["idempotent-replayed"], "a key belongs to the booking it cancels");
});

t.test("a refused cancel stores nothing under its key; a malformed key is invalid input", async (t) => {
  const missing = await cancel(434343, "cancel-missing");
  t.match(missing, { status: 404, body: { error: "booking_not_found" } });
  t.notOk((await cancel(434343, "cancel-missing")).headers["idempotent-replayed"]);
  const bad = await cancel(1, "has space");
  t.equal(bad.status, 400);
  t.equal(bad.body.field, "idempotency-key");
});

t.test(
  "payment-mock forgot the payment: cancelled, seats back once, and the answer says it was not refunded",
  async (t) => {
    const id = await book(2);
    const paid = (await sys.bookingCall("GET", `/api/bookings/${id}`, undefined, customer.headers)).body.payment_id;
    const seatsBefore = await flight();
    t.equal((await sys.paymentCall("POST", "/api/payments/reset", undefined, admin)).status, 204);
    const answer = {
      booking_id: id,
      status: "cancelled",
      total_amount: 1600,
      payment_id: paid,
      message: `Booking cancelled; the seats were released, but the payment was not refunded: the payment provider does not know payment ${paid}.`,
    };
    const first = await cancel(id);
    t.equal(first.status, 200);
    t.same(first.body, answer, "no refund_id, and a message that says why");
    t.same((await cancel(id)).body, answer, "the same again");
    t.equal(await flight(), seatsBefore - 2, "the seats came back once");
    t.equal(await refunds(), 0, "payment-mock made no refund");
    const got = await sys.bookingCall("GET", `/api/bookings/${id}`, undefined, customer.headers);
    t.match(got.body, { status: "cancelled", refund_id: null, message: answer.message });
  },
);

t.test("a body with fields is refused naming the field; none, an empty one and {} cancel", async (t) => {
  const id = await book(2);
  const seatsBefore = await flight();
  const put = (booking: number, body: unknown) =>
    sys.bookingCall("PUT", `/api/bookings/${booking}/cancel`, body, customer.headers);
  const refused = await put(id, { foo: "bar" });
  t.same(
    { status: refused.status, body: refused.body },
    { status: 400, body: { error: "validation_error", message: "foo is not allowed", field: "foo" } },
  );
  t.equal(
    (await sys.bookingCall("GET", `/api/bookings/${id}`, undefined, customer.headers)).body.status,
    "confirmed",
    "nothing cancelled",
  );
  t.equal(await flight(), seatsBefore, "nothing released");
  t.match(await put(id, {}), { status: 200, body: { booking_id: id, status: "cancelled" } }, "{}");

  // An empty body with a JSON type, as clients that send one on every request do (curl -d '').
  const other = await book(1);
  const port = Number(new URL(sys.bookingUrl).port);
  const headers = { ...customer.headers, "content-type": "application/json", "content-length": 0 };
  const empty = await rawRequest(port, head("PUT", `/api/bookings/${other}/cancel`, headers));
  t.match(empty, { status: 200, json: { booking_id: other, status: "cancelled" } }, "an empty body");
  t.equal(await flight(), seatsBefore - 2, "both released once");
});

t.test("failed, pending and unknown bookings cannot be cancelled", async (t) => {
  const failed = await sys.bookingCall(
    "POST",
    "/api/bookings",
    { flight_id: F, seats: 9, date: "2024-02-16" },
    customer.headers,
  );
  t.match(await cancel(failed.body.booking_id), {
    status: 409,
    body: { error: "conflict", message: "A failed booking cannot be cancelled." },
  });
  t.match(await cancel(424242), { status: 404, body: { error: "booking_not_found" } });
});

t.test("flight-svc down during a cancel: 202, and a retry or the sweeper finishes it", async (t) => {
  const id = await book(1);
  const seatsBefore = await flight();
  await sys.stopFlight();
  const r = await cancel(id, "cancel-down");
  t.equal(r.status, 202);
  t.match(r.body, { status: "confirmed", message: "The booking is being cancelled." });
  await sys.startFlight();
  const done = await (async () => {
    for (let i = 0; i < 40; i++) {
      const b = await sys.bookingCall("GET", `/api/bookings/${id}`, undefined, customer.headers);
      if (b.body.status === "cancelled") return b.body;
      await new Promise((res) => setTimeout(res, 100));
    }
    return null;
  })();
  t.match(done, { status: "cancelled" });
  t.equal(await flight(), seatsBefore - 1);
  const replay = await cancel(id, "cancel-down");
  t.equal(replay.headers["idempotent-replayed"], "true");
  t.match(
    replay,
    { status: 200, body: { booking_id: id, status: "cancelled" } },
    "a stored 202 replays what it became",
  );
});

// A traveller who may have flown gets no refund: once the booking's first flight has left, a
// booking confirmed before it left is no longer cancelled. One confirmed after it left (its saga
// still running at the departure; the original's clients book its 2024 sample flights, as the
// tests above do) stays cancellable: nobody could fly on it, and the flown job never marks it flown.
const bookDeparted = async (t: Test) => {
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const [G] = await seedFlights(sys.flightsSql, [{ total: 10, price: 500, departure: `${tomorrow}T08:00:00Z` }]);
  const r = await sys.bookingCall(
    "POST",
    "/api/bookings",
    { flight_id: G, seats: 2, date: tomorrow },
    customer.headers,
  );
  t.equal(r.status, 200);
  // The booking was made yesterday, and its flight left a minute ago.
  await sys.bookingsSql`UPDATE bookings SET created_at = created_at - interval '1 day' WHERE id = ${r.body.booking_id}`;
  await sys.flightsSql`UPDATE flights SET departure_time = date_trunc('minute', now()) - interval '1 minute',
    arrival_time = date_trunc('minute', now()) + interval '1 hour' WHERE id = ${G!}`;
  return { id: r.body.booking_id as number, flight: G! };
};

t.test("a booking confirmed before its flight left is not cancelled", async (t) => {
  const { id, flight: G } = await bookDeparted(t);
  // Its payment went through half a minute after it was made, a day before the flight left.
  await sys.bookingsSql`UPDATE bookings SET confirmed_at = created_at + interval '30 seconds' WHERE id = ${id}`;
  const before = await refunds();
  const refused = await cancel(id);
  t.equal(refused.status, 409);
  t.same(refused.body, {
    error: "flight_departed",
    message: `Flight ${G} of the booking has departed; it can no longer be cancelled.`,
    flight_id: G,
  });
  const got = await sys.bookingCall("GET", `/api/bookings/${id}`, undefined, customer.headers);
  t.equal(got.body.status, "confirmed");
  t.same(await sys.flight.inventory.availableSeats([G]), [8], "the seats stay booked");
  t.equal(await refunds(), before, "nothing refunded");

  // Had the booking been made and confirmed after the flight left, nobody could have flown on it.
  await sys.bookingsSql`UPDATE bookings SET created_at = now(), confirmed_at = now() WHERE id = ${id}`;
  t.match(await cancel(id), { status: 200, body: { status: "cancelled" } });
});

t.test("a booking made before its flight left but confirmed after it is cancelled and refunded", async (t) => {
  const { id, flight: G } = await bookDeparted(t);
  // Its payment took until after the departure: it was confirmed a moment ago, after the flight left.
  const before = await refunds();
  const done = await cancel(id);
  t.equal(done.status, 200);
  t.match(done.body, { booking_id: id, status: "cancelled", total_amount: 1000, refund_id: /./ });
  t.same(await sys.flight.inventory.availableSeats([G]), [10], "the seats came back");
  t.equal(await refunds(), before + 1, "refunded");
});

t.test("flight-svc down: the travel date decides whether the flight can have left", async (t) => {
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const [G] = await seedFlights(sys.flightsSql, [{ total: 10, price: 500, departure: `${tomorrow}T08:00:00Z` }]);
  const bookTomorrow = async () =>
    (await sys.bookingCall("POST", "/api/bookings", { flight_id: G, seats: 1, date: tomorrow }, customer.headers)).body
      .booking_id as number;
  const ahead = await bookTomorrow();
  const today = await bookTomorrow();
  const late = await bookTomorrow();
  // Made and confirmed yesterday for a flight of today's: it may have left, and been flown.
  await sys.bookingsSql`UPDATE bookings SET travel_date = (now() AT TIME ZONE 'UTC')::date,
    created_at = created_at - interval '1 day', confirmed_at = confirmed_at - interval '1 day' WHERE id = ${today}`;
  // Made two days ago for a flight of yesterday's, confirmed only now: the flight left before it.
  await sys.bookingsSql`UPDATE bookings SET travel_date = (now() AT TIME ZONE 'UTC')::date - 1,
    created_at = created_at - interval '2 days' WHERE id = ${late}`;
  await sys.stopFlight();
  t.teardown(() => sys.startFlight());
  t.match(await cancel(today), {
    status: 503,
    body: {
      error: "service_unavailable",
      message: "The flight service is unavailable; the booking was not cancelled.",
    },
  });
  t.match(
    await cancel(ahead),
    { status: 202, body: { message: "The booking is being cancelled." } },
    "its day is ahead",
  );
  t.match(
    await cancel(late),
    { status: 202, body: { message: "The booking is being cancelled." } },
    "confirmed after its day ended",
  );
  await sys.startFlight();
});
