import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import t from "tap";
import { startAuth } from "../../helpers/auth.js";
import { startSystem } from "../../helpers/system.js";

// booking-svc holds a booking's seats under bk-<booking id>-<nonce>, which flight-svc keeps for
// its service token.

const booking = { seats: 2, date: "2024-02-15" };

t.test("booking-svc's own hold works although a client took no bk- id before it", async (t) => {
  const auth = await startAuth(t);
  const sys = await startSystem(t, [{ total: 10 }], { auth });
  const [f] = sys.flightIds as [number];
  const customer = await auth.customer();
  const squat = await sys.flightCall(
    "POST",
    "/api/flights/holds",
    { flight_ids: [f], seats: 9, hold_id: "bk-1" },
    customer.headers,
  );
  t.equal(squat.status, 403, "a client cannot take booking 1's hold id");
  t.match(squat.body, { error: "forbidden" });
  const made = await sys.bookingCall("POST", "/api/bookings", { ...booking, flight_id: f }, customer.headers);
  t.match(made, { status: 200, body: { booking_id: 1, status: "confirmed" } });
  const hold = `/api/flights/holds/${await sys.holdIdOf(1)}`;
  t.match(await sys.flightCall("GET", hold, undefined, (await auth.service()).headers), {
    status: 200,
    body: { status: "confirmed", seats: 2 },
  });
});

t.test("booking-svc with a wrong client secret gets no service token: no booking, no seat taken", async (t) => {
  const auth = await startAuth(t);
  const wrong = join(auth.config.user.keyDir, "wrong-secret");
  await writeFile(wrong, "not-the-secret\n");
  const sys = await startSystem(t, [{ total: 10 }], { auth, bookingEnv: { SERVICE_CLIENT_SECRET_FILE: wrong } });
  const [f] = sys.flightIds as [number];
  const customer = await auth.customer();
  const made = await sys.bookingCall("POST", "/api/bookings", { ...booking, flight_id: f }, customer.headers);
  t.not(made.body.status, "confirmed");
  t.ok(made.status >= 500, `refused as a dependency failure (${made.status})`);
  t.match(await sys.flightCall("GET", `/api/flights/${f}`), { status: 200, body: { available_seats: 10 } });
});
