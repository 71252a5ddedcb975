import t from "tap";
import { startAuth } from "../../helpers/auth.js";
import { assignedInPostgres, bookFor, departingIn, passFlights } from "../../helpers/check-in.js";
import { startSystem } from "../../helpers/system.js";

// A check-in while a change of the booking runs used to seat the passengers on the old flight
// and answer its boarding passes, seats the change then gave back: the traveller was told they
// were checked in on a flight they were no longer booked on. It is refused as a cancellation is
// (409 change_in_progress); once the change has ended, the new flight's check-in works.

t.test("a check-in during a change is refused; after it, the new flight is checked in", async (t) => {
  let during: (() => Promise<unknown>) | null = null;
  const auth = await startAuth(t);
  const sys = await startSystem(
    t,
    [departingIn(3, { source: "DEL", destination: "BOM" }), departingIn(4, { source: "DEL", destination: "BOM" })],
    {
      auth,
      hooks: {
        beforeChangeAction: async (action) => {
          if (action === "release_old") await during?.();
        },
      },
    },
  );
  const [from, to] = sys.flightIds as [number, number];
  const ada = await auth.customer("ada");
  const id = await bookFor(sys, ada, [from], 2, ["Asha Rao", "Ravi Rao"]);
  const [day] = await sys.flightsSql<{ date: string }[]>`
    SELECT to_char(departure_time AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date FROM flights WHERE id = ${to}`;

  let checkIn: Awaited<ReturnType<typeof sys.bookingCall>> | undefined;
  during = async () => {
    checkIn = await sys.bookingCall("POST", `/api/bookings/${id}/check-in`, {}, ada.headers);
  };
  const changed = await sys.bookingCall(
    "POST",
    `/api/bookings/${id}/change`,
    { flight_ids: [to], date: day?.date },
    ada.headers,
  );
  during = null;
  t.match(changed, { status: 200, body: { change_status: "completed", flight_ids: [to] } });
  t.match(checkIn, { status: 409, body: { error: "change_in_progress" } });
  t.same(await assignedInPostgres(sys, from), {}, "nobody was seated on the old flight");

  const after = await sys.bookingCall("POST", `/api/bookings/${id}/check-in`, {}, ada.headers);
  t.equal(after.status, 200);
  t.same(passFlights(after), [to, to], "both passengers on the new flight");
});
