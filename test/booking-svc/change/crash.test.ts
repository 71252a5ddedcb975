import t from "tap";
import type { ChangeAction } from "../../../booking-svc/change/machine.js";
import { available, book, changeSystem, DAY, heldCents, netCents, seatsOf } from "../../helpers/change-system.js";

// A change whose request dies between two steps (the hook throws, as a crash would stop it)
// leaves its row where it was; the sweeper finishes it past the point of no return (the new
// legs confirmed) and undoes it before, from the row alone.

let crashBefore: ChangeAction | null = null;
const { sys, ada, admin, f } = await changeSystem(t, {
  beforeChangeAction: (action) => {
    if (action === crashBefore) throw new Error(`simulated crash before ${action}`);
  },
});
const booking = sys.booking!;

async function crashAt(action: ChangeAction, bookingId: number, to: number): Promise<number> {
  crashBefore = action;
  const r = await sys.bookingCall(
    "POST",
    `/api/bookings/${bookingId}/change`,
    { flight_ids: [to], date: DAY },
    ada.headers,
  );
  crashBefore = null;
  if (r.status !== 500) throw new Error(`expected the simulated crash, got ${r.status} ${JSON.stringify(r.body)}`);
  const [row] = await sys.bookingsSql<{ id: number }[]>`SELECT max(id)::int AS id FROM booking_changes`;
  return row!.id;
}
const changeRow = async (id: number) =>
  (await sys.bookingsSql`SELECT step, status FROM booking_changes WHERE id = ${id}`)[0];
/** Lets every lease run out, as time would. */
const expireLeases = () =>
  sys.bookingsSql`UPDATE booking_changes SET lease_until = now() - interval '1 second' WHERE step <> 'done'`;
const bookingOf = async (id: number) =>
  (await sys.bookingCall("GET", `/api/bookings/${id}`, undefined, ada.headers)).body;

t.test("died after paying, before confirming: the sweeper confirms and finishes the change", async (t) => {
  const id = await book(sys, ada, f.base, 1);
  const cid = await crashAt("confirm_new", id, f.dearer);
  t.match(await changeRow(cid), { step: "confirm", status: "pending" });
  t.equal(await netCents(sys, admin), 500_000 + 225_000, "the charge was made");
  t.match(
    await sys.bookingCall("PUT", `/api/bookings/${id}/cancel`, undefined, ada.headers),
    {
      status: 409,
      body: { error: "change_in_progress" },
    },
    "a cancel waits for the change",
  );
  t.match(
    await sys.bookingCall("POST", `/api/bookings/${id}/change`, { flight_ids: [f.cheaper], date: DAY }, ada.headers),
    {
      status: 409,
      body: { error: "change_in_progress" },
    },
  );
  await booking.sweeper.sweepOnce();
  t.match(await changeRow(cid), { step: "confirm" }, "left alone until its lease ends");
  await expireLeases();
  await booking.sweeper.sweepOnce();
  t.match(await changeRow(cid), { step: "done", status: "completed" });
  t.match(await bookingOf(id), { flight_ids: [f.dearer], total_amount: 7000, changes: [{ charged: 2250 }] });
  t.equal(await seatsOf(sys, f.base), 0);
  t.equal(await seatsOf(sys, f.dearer), 1);
  t.equal(await heldCents(sys), await netCents(sys, admin));
});

t.test("died after confirming, before releasing the old legs: the sweeper finishes the change", async (t) => {
  const id = await book(sys, ada, f.base, 1);
  const cid = await crashAt("release_old", id, f.cheaper);
  t.match(await changeRow(cid), { step: "release_old" });
  t.equal(await seatsOf(sys, f.base), 1, "both legs booked for now");
  t.equal(await seatsOf(sys, f.cheaper), 1);
  await expireLeases();
  await booking.sweeper.sweepOnce();
  t.match(await changeRow(cid), { step: "done", status: "completed" });
  t.match(await bookingOf(id), { flight_ids: [f.cheaper], total_amount: 4000, changes: [{ refunded: 750 }] });
  t.equal(await seatsOf(sys, f.base), 0);
  t.equal(await heldCents(sys), await netCents(sys, admin));
});

t.test("died after paying and the new hold ended meanwhile: the sweeper refunds and keeps the old legs", async (t) => {
  const id = await book(sys, ada, f.base, 1);
  const net = await netCents(sys, admin);
  const cid = await crashAt("confirm_new", id, f.dearer);
  t.equal(await netCents(sys, admin), net + 225_000);
  // The new hold goes (as its TTL would end it) before anyone confirms it.
  await sys.flight.inventory.releaseHold(await sys.holdIdOf(id, 1));
  await expireLeases();
  await booking.sweeper.sweepOnce();
  t.match(await changeRow(cid), { step: "done", status: "failed" });
  t.match(await bookingOf(id), { flight_ids: [f.base], total_amount: 5000, changes: [] });
  t.equal(await netCents(sys, admin), net, "money back");
  t.equal(await available(sys, f.dearer), 10 - (await seatsOf(sys, f.dearer)));
  t.equal(await heldCents(sys), await netCents(sys, admin));
  t.match(await sys.bookingCall("PUT", `/api/bookings/${id}/cancel`, undefined, ada.headers), {
    status: 200,
    body: { status: "cancelled" },
  });
});

t.test("died after the hold, before charging: the sweeper releases the new seats and fails the change", async (t) => {
  const id = await book(sys, ada, f.base, 1);
  const net = await netCents(sys, admin);
  const cid = await crashAt("charge", id, f.dearer);
  t.match(await changeRow(cid), { step: "pay" });
  await expireLeases();
  await booking.sweeper.sweepOnce();
  t.match(await changeRow(cid), { step: "done", status: "failed" });
  t.equal(await netCents(sys, admin), net);
  t.match(await bookingOf(id), { flight_ids: [f.base] });
  t.equal(await available(sys, f.dearer), 10 - (await seatsOf(sys, f.dearer)), "the new hold was released");
});
