import t from "tap";
import { fileAuth } from "../../helpers/auth.js";
import { call, startSystem, waitFor } from "../../helpers/system.js";

// connection_at_risk says what a booking's itinerary is now, as a change that clears it does: a
// delay that leaves a connection under MIN_CONNECTION_MINUTES marks it, and a later retime that
// gives every connection its minimum again (the delay taken back) clears it. It stayed set.
// The connection crosses midnight and the year, which the times are compared across.

const auth = await fileAuth();
const admin = (await auth.admin()).headers;

t.test("a retime that restores every connection clears connection_at_risk", async (t) => {
  const sys = await startSystem(
    t,
    [
      {
        source: "DEL",
        destination: "BOM",
        departure: "2027-12-31T22:00:00Z",
        minutes: 180,
        total: 50,
        price: 1000,
      },
      {
        source: "BOM",
        destination: "BLR",
        departure: "2028-01-01T02:00:00Z",
        minutes: 60,
        total: 50,
        price: 500,
      },
    ],
    { auth },
  );
  const [A, B] = sys.flightIds as [number, number];
  const customer = (await auth.customer("overnight")).headers;
  const booked = await sys.bookingCall(
    "POST",
    "/api/bookings",
    { flight_ids: [A, B], seats: 1, date: "2027-12-31" },
    customer,
  );
  t.equal(booked.status, 200);
  const id = booked.body.booking_id as number;
  const atRisk = async () => (await call(sys.bookingUrl, "GET", `/api/bookings/${id}`, undefined, admin)).body;

  // A lands at 01:30: 30 minutes to B, under the 45 asked.
  const late = { status: "delayed", departure_time: "2027-12-31T22:30:00Z", arrival_time: "2028-01-01T01:30:00Z" };
  t.equal((await sys.flightCall("PATCH", `/api/flights/${A}`, late, admin)).status, 200);
  t.ok(await waitFor(async () => (await atRisk()).connection_at_risk === true, 15_000), "the delay marks it");

  // Back on time: 60 minutes to B again.
  const onTime = { status: "scheduled", departure_time: "2027-12-31T22:00:00Z", arrival_time: "2028-01-01T01:00:00Z" };
  t.equal((await sys.flightCall("PATCH", `/api/flights/${A}`, onTime, admin)).status, 200);
  t.ok(
    await waitFor(async () => (await atRisk()).connection_at_risk === false, 15_000),
    "the retime that restores the connection clears it",
  );
  t.match(await atRisk(), { status: "confirmed", connection_at_risk: false });
});
