import t from "tap";
import { startAuth } from "../../helpers/auth.js";
import { assignedInPostgres, bookFor, departingIn, takenSeats } from "../../helpers/check-in.js";
import { startSystem } from "../../helpers/system.js";

// flight-svc keeps check-in seats longer than bookings_db keeps booking ids unique: restored from
// a backup or reset, it gives a new booking an old booking's id. Seats asked for by the id alone
// were the old booking's: the new booking was answered the old passengers' seats and passes, and
// the old passes verified as its own. Pass ids named the booking by its id alone, so the new
// booking's first passenger held the old one's pass id.

t.test("a booking given an old booking's id checks in its own passengers only", async (t) => {
  const auth = await startAuth(t);
  const sys = await startSystem(t, [departingIn(3, { total: 10 })], { auth });
  const [f] = sys.flightIds as [number];
  const ada = await auth.customer("ada");

  const old = await bookFor(sys, ada, [f], 2, ["Asha Rao", "Ravi Rao"]);
  const oldPasses = await sys.bookingCall("POST", `/api/bookings/${old}/check-in`, {}, ada.headers);
  const oldRef = await sys.refOf(old);
  t.match(oldPasses.body.boarding_passes, [
    { boarding_pass_id: `BP-${oldRef}-${f}-1`, seat: "1A" },
    { boarding_pass_id: `BP-${oldRef}-${f}-2`, seat: "1B" },
  ]);
  await sys.bookingsSql`TRUNCATE bookings RESTART IDENTITY CASCADE`;

  const again = await bookFor(sys, ada, [f], 1, ["Mira Sen"]);
  t.equal(again, old, "the old booking's id, given again");
  const before = await sys.bookingCall("GET", `/api/bookings/${again}/boarding-passes`, undefined, ada.headers);
  t.same(before.body.boarding_passes, [], "no passes before its check-in");

  const passes = await sys.bookingCall("POST", `/api/bookings/${again}/check-in`, {}, ada.headers);
  t.equal(passes.status, 200);
  const ref = await sys.refOf(again);
  t.not(ref, oldRef, "a booking ref of its own");
  t.match(passes.body.boarding_passes, [
    { boarding_pass_id: `BP-${ref}-${f}-1`, passenger: "Mira Sen", seat: "1C", sequence: 3 },
  ]);
  t.not(
    passes.body.boarding_passes[0].boarding_pass_id,
    oldPasses.body.boarding_passes[0].boarding_pass_id,
    "not the old first passenger's pass id",
  );
  t.equal(passes.body.boarding_passes.length, 1, "one passenger, one pass");
  t.same(await takenSeats(sys, f), ["1A", "1B", "1C"], "the old passengers keep their seats");

  const oldBarcode = oldPasses.body.boarding_passes[0].barcode;
  t.match(await sys.bookingCall("POST", "/api/boarding-passes/verify", { barcode: oldBarcode }), {
    status: 200,
    body: { valid: false, reason: "not_current" },
  });

  const cancelled = await sys.bookingCall("PUT", `/api/bookings/${again}/cancel`, {}, ada.headers);
  t.match(cancelled.body, { status: "cancelled" });
  t.same(await assignedInPostgres(sys, f), { "1A": `${old}:0`, "1B": `${old}:1` }, "its cancel frees its seat alone");
  t.same(await takenSeats(sys, f), ["1A", "1B"]);
});
