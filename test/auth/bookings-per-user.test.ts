import t from "tap";
import { startAuth } from "../helpers/auth.js";
import { startSystem } from "../helpers/system.js";

// AUTH_MODE=required with real accounts: a customer books for themselves and sees, lists and
// cancels only their own bookings; another user's booking is absent (404); an admin sees any.

const trip = { seats: 1, date: "2024-02-15" };

t.test("A cannot read, list or cancel B's booking; an admin can read it", async (t) => {
  const auth = await startAuth(t);
  const sys = await startSystem(t, [{ total: 10 }], { auth });
  const [f] = sys.flightIds as [number];
  const a = await auth.customer("ada");
  const b = await auth.customer("bob");
  const admin = await auth.admin();

  const made = await sys.bookingCall("POST", "/api/bookings", { ...trip, flight_id: f }, b.headers);
  t.match(made, { status: 200, body: { status: "confirmed" } });
  const id = made.body.booking_id as number;
  const read = await sys.bookingCall("GET", `/api/bookings/${id}`, undefined, b.headers);
  t.match(read, { status: 200, body: { booking_id: id, user_id: b.userId } }, "the user id is the token's");

  const absent = { error: "booking_not_found", booking_id: id };
  t.match(await sys.bookingCall("GET", `/api/bookings/${id}`, undefined, a.headers), { status: 404, body: absent });
  t.match(
    await sys.bookingCall("GET", `/api/bookings/${id}?user_id=${b.userId}`, undefined, a.headers),
    { status: 404, body: absent },
    "naming the owner does not help",
  );
  t.match(await sys.bookingCall("PUT", `/api/bookings/${id}/cancel`, undefined, a.headers), {
    status: 404,
    body: absent,
  });
  t.match(await sys.bookingCall("GET", `/api/bookings/${id}`, undefined, b.headers), {
    body: { status: "confirmed" },
  });

  t.match(await sys.bookingCall("GET", `/api/bookings?user_id=${b.userId}`, undefined, a.headers), {
    status: 403,
    body: { error: "forbidden" },
  });
  t.same((await sys.bookingCall("GET", "/api/bookings", undefined, a.headers)).body.bookings, []);
  const own = await sys.bookingCall("GET", "/api/bookings", undefined, b.headers);
  t.same(
    own.body.bookings.map((x: { booking_id: number }) => x.booking_id),
    [id],
  );

  t.match(await sys.bookingCall("GET", `/api/bookings/${id}`, undefined, admin.headers), {
    status: 200,
    body: { user_id: b.userId },
  });
  t.match(await sys.bookingCall("GET", `/api/bookings?user_id=${b.userId}`, undefined, admin.headers), {
    status: 200,
    body: { bookings: [{ booking_id: id }] },
  });

  t.match(await sys.bookingCall("PUT", `/api/bookings/${id}/cancel`, undefined, b.headers), {
    status: 200,
    body: { status: "cancelled" },
  });
});

t.test("a customer books for themselves: another user_id in the body is 403, nothing is booked", async (t) => {
  const auth = await startAuth(t);
  const sys = await startSystem(t, [{ total: 10 }], { auth });
  const [f] = sys.flightIds as [number];
  const a = await auth.customer("ada");
  const b = await auth.customer("bob");
  const theirs = await sys.bookingCall(
    "POST",
    "/api/bookings",
    { ...trip, flight_id: f, user_id: b.userId },
    a.headers,
  );
  t.match(theirs, { status: 403, body: { error: "forbidden" } });
  t.match(await sys.flightCall("GET", `/api/flights/${f}`), { body: { available_seats: 10 } });
  const same = await sys.bookingCall("POST", "/api/bookings", { ...trip, flight_id: f, user_id: a.userId }, a.headers);
  t.match(same, { status: 200, body: { status: "confirmed" } }, "one's own user_id is fine");
});

t.test("bookings take a customer's token: none is 401, the service token is 403", async (t) => {
  const auth = await startAuth(t);
  const sys = await startSystem(t, [{ total: 10 }], { auth });
  const [f] = sys.flightIds as [number];
  const body = { ...trip, flight_id: f };
  t.match(await sys.bookingCall("POST", "/api/bookings", body), {
    status: 401,
    body: { error: "unauthorized", message: "A valid Bearer access token is required." },
  });
  t.match(await sys.bookingCall("GET", "/api/bookings/1"), { status: 401 });
  t.match(await sys.bookingCall("POST", "/api/bookings", body, (await auth.service()).headers), {
    status: 403,
    body: { error: "forbidden" },
  });
  t.match(await sys.flightCall("GET", `/api/flights/${f}`), { body: { available_seats: 10 } });
});

t.test("an admin books for the user named in the body, or for themselves", async (t) => {
  const auth = await startAuth(t);
  const sys = await startSystem(t, [{ total: 10 }], { auth });
  const [f] = sys.flightIds as [number];
  const a = await auth.customer("ada");
  const admin = await auth.admin();
  const forAda = await sys.bookingCall(
    "POST",
    "/api/bookings",
    { ...trip, flight_id: f, user_id: a.userId },
    admin.headers,
  );
  t.match(await sys.bookingCall("GET", `/api/bookings/${forAda.body.booking_id}`, undefined, a.headers), {
    status: 200,
    body: { user_id: a.userId },
  });
  const own = await sys.bookingCall("POST", "/api/bookings", { ...trip, flight_id: f }, admin.headers);
  t.match(await sys.bookingCall("GET", `/api/bookings/${own.body.booking_id}`, undefined, admin.headers), {
    body: { user_id: admin.userId },
  });
});

t.test("with AUTH_MODE=off the body names the user, and must", async (t) => {
  const sys = await startSystem(t, [{ total: 10 }], { open: true });
  const [f] = sys.flightIds as [number];
  t.match(await sys.bookingCall("POST", "/api/bookings", { ...trip, flight_id: f }), {
    status: 400,
    body: { error: "validation_error", field: "user_id" },
  });
  t.match(await sys.bookingCall("POST", "/api/bookings", { ...trip, flight_id: f, user_id: 7 }), {
    status: 200,
    body: { status: "confirmed" },
  });
  t.match(await sys.bookingCall("GET", "/api/bookings?user_id=7"), { body: { bookings: [{ user_id: 7 }] } });
});
