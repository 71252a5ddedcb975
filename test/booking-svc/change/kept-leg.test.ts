import t, { type Test } from "tap";
import type { ChangeAction } from "../../../booking-svc/change/machine.js";
import { startAuth } from "../../helpers/auth.js";
import { available, DAY, heldCents, netCents, seatsOf } from "../../helpers/change-system.js";
import { startSystem } from "../../helpers/system.js";

// A change that keeps some of the booking's legs, on flights that the booking itself fills: the
// kept legs keep their confirmed seats (handed over to the change's hold, never held again nor
// released), only the added legs are held, only the dropped ones given back.

let crashBefore: ChangeAction | null = null;
const auth = await startAuth(t);
const DEL_BOM = { source: "DEL", destination: "BOM", departure: `${DAY}T08:00:00Z`, total: 2, price: 5000 };
const BOM_BLR = { source: "BOM", destination: "BLR", total: 10 };
const sys = await startSystem(
  t,
  [
    DEL_BOM,
    DEL_BOM,
    DEL_BOM,
    DEL_BOM,
    { ...BOM_BLR, departure: `${DAY}T12:00:00Z`, price: 3000 },
    { ...BOM_BLR, departure: `${DAY}T16:00:00Z`, price: 4000 },
  ],
  {
    auth,
    sweeper: false,
    hooks: {
      beforeChangeAction: (action) => {
        if (action === crashBefore) throw new Error(`simulated crash before ${action}`);
      },
    },
  },
);
const [full1, full2, full3, full4, noon, evening] = sys.flightIds as [number, number, number, number, number, number];
const ada = await auth.customer("ada");
const admin = await auth.admin();

const bookLegs = async (flightIds: number[]) => {
  const r = await sys.bookingCall("POST", "/api/bookings", { flight_ids: flightIds, seats: 2, date: DAY }, ada.headers);
  if (r.status !== 200) throw new Error(`booking: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.booking_id as number;
};
const change = (id: number, flightIds: number[], headers: Record<string, string> = ada.headers) =>
  sys.bookingCall("POST", `/api/bookings/${id}/change`, { flight_ids: flightIds, date: DAY }, headers);
const seats = async (...ids: number[]) => Promise.all(ids.map((id) => seatsOf(sys, id)));
const free = async (...ids: number[]) => Promise.all(ids.map((id) => available(sys, id)));
const noDrift = async (t: Test) => {
  const r = await sys.flightCall("POST", "/api/admin/reconcile", {}, admin.headers);
  t.same(r.body.drift, [], "reconcile finds no drift");
};

t.test("a kept leg full because of the booking itself keeps its seats", async (t) => {
  const id = await bookLegs([full1, noon]);
  t.same(await free(full1), [0], "the booking fills the kept flight");
  const r = await change(id, [full1, evening]);
  t.match(r, {
    status: 200,
    body: { change_status: "completed", flight_ids: [full1, evening], fare_difference: 2000, charged: 2000 },
  });
  t.same(await seats(full1, noon, evening), [2, 0, 2], "booked: kept, dropped, added");
  t.same(await free(full1, noon, evening), [0, 10, 8], "free in Redis: kept, dropped, added");
  await noDrift(t);
  t.equal(await heldCents(sys), await netCents(sys, admin));

  const cancelled = await sys.bookingCall("PUT", `/api/bookings/${id}/cancel`, undefined, ada.headers);
  t.match(cancelled, { status: 200, body: { status: "cancelled" } });
  t.same(await seats(full1, evening), [0, 0], "the cancel gives back the kept leg with the added one");
  t.same(await free(full1, evening), [2, 10]);
  await noDrift(t);
});

t.test("every old leg kept, one added; then back to the kept leg alone", async (t) => {
  const id = await bookLegs([full2]);
  const longer = await change(id, [full2, noon]);
  t.match(longer, { status: 200, body: { change_status: "completed", flight_ids: [full2, noon] } });
  t.same(await seats(full2, noon), [2, 2]);
  const shorter = await change(id, [full2]);
  t.match(shorter, { status: 200, body: { change_status: "completed", flight_ids: [full2], refunded: 6000 } });
  t.same(await seats(full2, noon), [2, 0]);
  t.same(await free(full2, noon), [0, 10]);
  await noDrift(t);
  t.equal(await heldCents(sys), await netCents(sys, admin));
});

t.test("the same Idempotency-Key replays a kept-leg change without moving a seat", async (t) => {
  const id = await bookLegs([full3, noon]);
  const headers = { ...ada.headers, "idempotency-key": `kept-${id}` };
  const first = await change(id, [full3, evening], headers);
  t.match(first, { status: 200, body: { change_status: "completed" } });
  const again = await change(id, [full3, evening], headers);
  t.equal(again.headers["idempotent-replayed"], "true");
  t.same(again.body, first.body);
  t.same(await seats(full3, noon, evening), [2, 0, 2], "the first test's seats went back with its cancel");
  await noDrift(t);
});

t.test("died before releasing the old legs, after handing the kept one over: the sweeper finishes", async (t) => {
  const id = await bookLegs([full4, noon]);
  crashBefore = "release_old";
  const r = await change(id, [full4, evening]);
  crashBefore = null;
  t.equal(r.status, 500, "the simulated crash");
  const [row] = await sys.bookingsSql<{ id: number; hold_id: string; from_hold_id: string }[]>`
    SELECT id::int, hold_id, from_hold_id FROM booking_changes WHERE booking_id = ${id}`;
  // As if the request had died inside the step, after its hand-over.
  const service = await auth.service();
  const handed = await sys.flightCall(
    "POST",
    `/api/flights/holds/${row!.from_hold_id}/hand-over`,
    { to_hold_id: row!.hold_id, flight_ids: [full4] },
    service.headers,
  );
  t.equal(handed.status, 200);
  t.same(await seats(full4, noon, evening), [2, 2, 4], "nothing given back yet (2 on evening are the last test's)");
  await sys.bookingsSql`UPDATE booking_changes SET lease_until = now() - interval '1 second' WHERE step <> 'done'`;
  await sys.booking!.sweeper.sweepOnce();
  const [done] = await sys.bookingsSql`SELECT step, status FROM booking_changes WHERE id = ${row!.id}`;
  t.match(done, { step: "done", status: "completed" });
  t.same(await seats(full4, noon, evening), [2, 0, 4]);
  t.same(await free(full4, noon, evening), [0, 10, 6]);
  await noDrift(t);
  t.equal(await heldCents(sys), await netCents(sys, admin));
});
