import t from "tap";
import { type Account, fileAuth } from "../../helpers/auth.js";
import { startSystem } from "../../helpers/system.js";

const auth = await fileAuth();
const sys = await startSystem(t, [{ total: 50, price: 250.25 }], { auth });
const [F] = sys.flightIds as [number];
const post = (as: Account, over: Record<string, unknown> = {}) =>
  sys.bookingCall(
    "POST",
    "/api/bookings",
    { user_id: as.userId, flight_id: F, seats: 1, date: "2024-02-15", ...over },
    as.headers,
  );

t.test("GET /api/bookings/:id: legs, seats, amounts, status, payment, timestamps; no passenger details", async (t) => {
  const asha = await auth.customer("asha");
  const made = await post(asha, {
    seats: 2,
    passengers: [
      { name: "Asha Rao", email: "asha@example.com" },
      { name: "Ravi Rao", email: "ravi@example.com" },
    ],
  });
  const r = await sys.bookingCall("GET", `/api/bookings/${made.body.booking_id}`, undefined, asha.headers);
  t.equal(r.status, 200);
  t.match(r.body, {
    booking_id: made.body.booking_id,
    user_id: asha.userId,
    status: "confirmed",
    legs: [{ flight_id: F, price: 250.25 }],
    flight_ids: [F],
    seats: 2,
    date: "2024-02-15",
    payment_type: "credit_card",
    total_amount: 500.5,
    payment_id: made.body.payment_id,
    hold_id: new RegExp(`^bk-${made.body.booking_id}-[0-9a-f]{16}$`),
    passenger_count: 2,
    created_at: /^\d{4}-\d\d-\d\dT/,
    confirmed_at: /^\d{4}-\d\d-\d\dT/,
    cancelled_at: null,
  });
  t.notMatch(JSON.stringify(r.body), /Asha|asha@/);
});

t.test("unknown id 404; another user's booking is not theirs to see", async (t) => {
  const [owner, other] = [await auth.customer("owen"), await auth.customer("otto")];
  const made = await post(owner);
  t.match(await sys.bookingCall("GET", "/api/bookings/999999", undefined, owner.headers), {
    status: 404,
    body: { error: "booking_not_found" },
  });
  const id = made.body.booking_id;
  t.equal(
    (await sys.bookingCall("GET", `/api/bookings/${id}?user_id=${other.userId}`, undefined, other.headers)).status,
    404,
  );
  t.equal(
    (await sys.bookingCall("GET", `/api/bookings/${id}?user_id=${owner.userId}`, undefined, owner.headers)).status,
    200,
  );
  t.equal((await sys.bookingCall("GET", "/api/bookings/abc", undefined, owner.headers)).status, 400);
});

t.test("GET /api/bookings?user_id: one user's bookings, newest first, by cursor", async (t) => {
  const [lena, moe, nia] = [await auth.customer("lena"), await auth.customer("moe"), await auth.customer("nia")];
  const list = (query: string) =>
    sys.bookingCall("GET", `/api/bookings?user_id=${lena.userId}&${query}`, undefined, lena.headers);
  const ids: number[] = [];
  for (let i = 0; i < 5; i++) ids.push((await post(lena)).body.booking_id);
  await post(moe);
  const page1 = await list("limit=2");
  t.equal(page1.status, 200);
  t.same(
    page1.body.bookings.map((b: { booking_id: number }) => b.booking_id),
    [ids[4], ids[3]],
  );
  t.equal(page1.body.next_cursor, String(ids[3]));
  const page2 = await list(`limit=2&cursor=${page1.body.next_cursor}`);
  t.same(
    page2.body.bookings.map((b: { booking_id: number }) => b.booking_id),
    [ids[2], ids[1]],
  );
  const page3 = await list(`limit=2&cursor=${page2.body.next_cursor}`);
  t.same(
    page3.body.bookings.map((b: { booking_id: number }) => b.booking_id),
    [ids[0]],
  );
  t.equal(page3.body.next_cursor, null);
  const all = await list("limit=100");
  t.ok(
    all.body.bookings.every((b: { user_id: number }) => b.user_id === lena.userId),
    "no other user's booking",
  );
  t.same((await sys.bookingCall("GET", `/api/bookings?user_id=${nia.userId}`, undefined, nia.headers)).body, {
    bookings: [],
    next_cursor: null,
  });
});

// A customer's list is their own without a user_id; an admin's must name the user.
t.test("the list needs a user and a sane limit", async (t) => {
  const admin = (await auth.admin()).headers;
  t.match(await sys.bookingCall("GET", "/api/bookings", undefined, admin), { status: 400, body: { field: "user_id" } });
  t.match(await sys.bookingCall("GET", "/api/bookings?user_id=1&limit=0", undefined, admin), {
    status: 400,
    body: { field: "limit" },
  });
  t.match(await sys.bookingCall("GET", "/api/bookings?user_id=1&cursor=x", undefined, admin), {
    status: 400,
    body: { field: "cursor" },
  });
});
