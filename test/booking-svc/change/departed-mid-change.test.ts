import t from "tap";
import { book, changeSystem, DAY, heldCents, netCents, seatsOf } from "../../helpers/change-system.js";

// A change checks at its start that the booking's legs have not departed, but one whose request
// died (or whose upstream did not answer) is finished by the sweeper later, after its lease and
// backoff. If the old flight left meanwhile, the sweeper used to move the booking off a flight
// its passengers may have flown (charging the difference, releasing seats of a departed flight,
// and later earning the new flight's miles besides the old one's). Before the point of no return
// the change now checks again, and undoes itself when a leg it moves from or to has departed.

let crashBefore: string | null = null;
const { sys, ada, admin, f } = await changeSystem(t, {
  beforeChangeAction: (action) => {
    if (action === crashBefore) throw new Error(`simulated crash before ${action}`);
  },
});
const booking = sys.booking!;

t.test("the old flight departed before the sweeper confirms: the change is undone, money back", async (t) => {
  const id = await book(sys, ada, f.base, 1);
  const net = await netCents(sys, admin);
  crashBefore = "confirm_new";
  const r = await sys.bookingCall(
    "POST",
    `/api/bookings/${id}/change`,
    { flight_ids: [f.dearer], date: DAY },
    ada.headers,
  );
  crashBefore = null;
  t.equal(r.status, 500, "the request died after paying");
  t.equal(await netCents(sys, admin), net + 225_000, "the charge was made");

  // The old flight leaves (and lands) while the change waits for the sweeper.
  const moved = await sys.flightCall(
    "PATCH",
    `/api/flights/${f.base}`,
    { departure_time: "2026-01-10T08:00:00Z", arrival_time: "2026-01-10T10:00:00Z" },
    admin.headers,
  );
  t.equal(moved.status, 200, JSON.stringify(moved.body));
  await sys.bookingsSql`UPDATE booking_changes SET lease_until = now() - interval '1 second' WHERE step <> 'done'`;
  await booking.sweeper.sweepOnce();

  const [row] = await sys.bookingsSql`SELECT step, status, error_code FROM booking_changes WHERE booking_id = ${id}`;
  t.match(row, { step: "done", status: "failed", error_code: "flight_departed" });
  const read = (await sys.bookingCall("GET", `/api/bookings/${id}`, undefined, ada.headers)).body;
  t.match(read, { status: "confirmed", flight_ids: [f.base], total_amount: 5000, changes: [] });
  t.equal(await seatsOf(sys, f.base), 1, "the seat on the flight flown stays");
  t.equal(await seatsOf(sys, f.dearer), 0, "the new seat was released");
  t.equal(await netCents(sys, admin), net, "the change's charge refunded");
  t.equal(await heldCents(sys), await netCents(sys, admin));
});
