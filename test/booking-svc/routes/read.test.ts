import t from "tap";
import { startSystem } from "../../helpers/system.js";

const sys = await startSystem(t, [{ total: 50, price: 250.25 }]);
const [F] = sys.flightIds as [number];
const post = (user: number, over: Record<string, unknown> = {}) =>
  sys.bookingCall("POST", "/api/bookings", { user_id: user, flight_id: F, seats: 1, date: "2024-02-15", ...over });

t.test("GET /api/bookings/:id: legs, seats, amounts, status, payment, timestamps; no passenger details", async (t) => {
  const made = await post(1, {
    seats: 2,
    passengers: [
      { name: "Asha Rao", email: "asha@example.com" },
      { name: "Ravi Rao", email: "ravi@example.com" },
    ],
  });
  const r = await sys.bookingCall("GET", `/api/bookings/${made.body.booking_id}`);
  t.equal(r.status, 200);
  t.match(r.body, {
    booking_id: made.body.booking_id,
    user_id: 1,
    status: "confirmed",
    legs: [{ flight_id: F, price: 250.25 }],
    flight_ids: [F],
    seats: 2,
    date: "2024-02-15",
    payment_type: "credit_card",
    total_amount: 500.5,
    payment_id: made.body.payment_id,
    hold_id: `bk-${made.body.booking_id}`,
    passenger_count: 2,
    created_at: /^\d{4}-\d\d-\d\dT/,
    confirmed_at: /^\d{4}-\d\d-\d\dT/,
    cancelled_at: null,
  });
  t.notMatch(JSON.stringify(r.body), /Asha|asha@/);
});

t.test("unknown id 404; another user's booking is not theirs to see", async (t) => {
  const made = await post(2);
  t.match(await sys.bookingCall("GET", "/api/bookings/999999"), { status: 404, body: { error: "booking_not_found" } });
  t.equal((await sys.bookingCall("GET", `/api/bookings/${made.body.booking_id}?user_id=3`)).status, 404);
  t.equal((await sys.bookingCall("GET", `/api/bookings/${made.body.booking_id}?user_id=2`)).status, 200);
  t.equal((await sys.bookingCall("GET", "/api/bookings/abc")).status, 400);
});

t.test("GET /api/bookings?user_id: one user's bookings, newest first, by cursor", async (t) => {
  const ids: number[] = [];
  for (let i = 0; i < 5; i++) ids.push((await post(10)).body.booking_id);
  await post(11);
  const page1 = await sys.bookingCall("GET", "/api/bookings?user_id=10&limit=2");
  t.equal(page1.status, 200);
  t.same(
    page1.body.bookings.map((b: { booking_id: number }) => b.booking_id),
    [ids[4], ids[3]],
  );
  t.equal(page1.body.next_cursor, String(ids[3]));
  const page2 = await sys.bookingCall("GET", `/api/bookings?user_id=10&limit=2&cursor=${page1.body.next_cursor}`);
  t.same(
    page2.body.bookings.map((b: { booking_id: number }) => b.booking_id),
    [ids[2], ids[1]],
  );
  const page3 = await sys.bookingCall("GET", `/api/bookings?user_id=10&limit=2&cursor=${page2.body.next_cursor}`);
  t.same(
    page3.body.bookings.map((b: { booking_id: number }) => b.booking_id),
    [ids[0]],
  );
  t.equal(page3.body.next_cursor, null);
  const all = await sys.bookingCall("GET", "/api/bookings?user_id=10&limit=100");
  t.ok(
    all.body.bookings.every((b: { user_id: number }) => b.user_id === 10),
    "no other user's booking",
  );
  t.same((await sys.bookingCall("GET", "/api/bookings?user_id=12")).body, { bookings: [], next_cursor: null });
});

t.test("the list needs a user and a sane limit", async (t) => {
  t.match(await sys.bookingCall("GET", "/api/bookings"), { status: 400, body: { field: "user_id" } });
  t.match(await sys.bookingCall("GET", "/api/bookings?user_id=1&limit=0"), { status: 400, body: { field: "limit" } });
  t.match(await sys.bookingCall("GET", "/api/bookings?user_id=1&cursor=x"), { status: 400, body: { field: "cursor" } });
});
