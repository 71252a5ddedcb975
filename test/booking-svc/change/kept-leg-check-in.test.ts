import t from "tap";
import { startAuth } from "../../helpers/auth.js";
import { assignedInPostgres, bookFor, departingIn, takenSeats } from "../../helpers/check-in.js";
import { startSystem } from "../../helpers/system.js";

// A change that keeps a leg its passengers have checked in on: their seats and boarding passes
// there stay; those of the dropped leg go with its seats.

t.test("the kept leg's seats and boarding passes stay; the dropped leg's are freed", async (t) => {
  const auth = await startAuth(t);
  const sys = await startSystem(
    t,
    [
      departingIn(3, { source: "DEL", destination: "BOM", total: 2 }),
      departingIn(6, { source: "BOM", destination: "BLR", total: 10 }),
      departingIn(7, { source: "BOM", destination: "BLR", total: 10 }),
    ],
    { auth },
  );
  const [kept, dropped, added] = sys.flightIds as [number, number, number];
  const ada = await auth.customer("ada");
  const id = await bookFor(sys, ada, [kept, dropped], 2, ["Asha Rao", "Ravi Rao"]);
  const checkedIn = await sys.bookingCall("POST", `/api/bookings/${id}/check-in`, {}, ada.headers);
  t.equal(checkedIn.status, 200);
  const keptPasses = checkedIn.body.boarding_passes.filter((p: { flight_id: number }) => p.flight_id === kept);
  t.equal(keptPasses.length, 2);
  const keptSeats = await assignedInPostgres(sys, kept);

  const [first] = await sys.flightsSql<{ date: string }[]>`
    SELECT to_char(departure_time AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date FROM flights WHERE id = ${kept}`;
  const changed = await sys.bookingCall(
    "POST",
    `/api/bookings/${id}/change`,
    { flight_ids: [kept, added], date: first?.date },
    ada.headers,
  );
  t.match(changed, { status: 200, body: { change_status: "completed", flight_ids: [kept, added] } });
  t.same(await assignedInPostgres(sys, kept), keptSeats, "the kept leg's seats stay the passengers'");
  t.same((await takenSeats(sys, kept)).sort(), Object.keys(keptSeats).sort());
  t.same(await assignedInPostgres(sys, dropped), {}, "the dropped leg's seats are free");
  t.same(await takenSeats(sys, dropped), []);
  for (const pass of keptPasses) {
    t.match(await sys.bookingCall("POST", "/api/boarding-passes/verify", { barcode: pass.barcode }), {
      status: 200,
      body: { valid: true },
    });
  }
});
