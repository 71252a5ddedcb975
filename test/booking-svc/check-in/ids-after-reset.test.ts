import t from "tap";
import { type PassPayload, signPass, verifyBarcode } from "../../../booking-svc/check-in/boarding-pass.js";
import { readOrCreatePassKey } from "../../../booking-svc/check-in/pass-key.js";
import { startAuth } from "../../helpers/auth.js";
import { assignedInPostgres, bookFor, departingIn, takenSeats } from "../../helpers/check-in.js";
import { type System, startSystem } from "../../helpers/system.js";

// flight-svc keeps check-in seats longer than bookings_db keeps booking ids unique: restored from
// a backup or reset, it gives a new booking an old booking's id. Seats asked for by the id alone
// were the old booking's: the new booking was answered the old passengers' seats and passes, and
// the old passes verified as its own. Pass ids named the booking by its id alone, so the new
// booking's first passenger held the old one's pass id.

/** The barcode booking-svc signed for the pass before pass ids named the booking's ref. */
async function issuedBeforeRefs(sys: System, barcode: string, oldId: string): Promise<string> {
  const keys = await readOrCreatePassKey(sys.config.auth.keyDir);
  const verdict = verifyBarcode(barcode, keys.publicKey);
  if (!verdict.valid) throw new Error(`not booking-svc's barcode: ${verdict.reason}`);
  const pass: PassPayload = { ...verdict.pass, id: oldId };
  return signPass(pass, keys.privateKey).barcode;
}

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
  const oldIssuedBefore = await issuedBeforeRefs(sys, oldBarcode, `BP-${old}-${f}-1`);
  t.match(
    await sys.bookingCall("POST", "/api/boarding-passes/verify", { barcode: oldIssuedBefore }),
    {
      status: 200,
      body: { valid: false, reason: "not_current" },
    },
    "nor as issued before pass ids named the ref",
  );

  const cancelled = await sys.bookingCall("PUT", `/api/bookings/${again}/cancel`, {}, ada.headers);
  t.match(cancelled.body, { status: "cancelled" });
  t.same(await assignedInPostgres(sys, f), { "1A": `${old}:0`, "1B": `${old}:1` }, "its cancel frees its seat alone");
  t.same(await takenSeats(sys, f), ["1A", "1B"]);
});

t.test("a pass issued before pass ids named the booking's ref still stands", async (t) => {
  const auth = await startAuth(t);
  const sys = await startSystem(t, [departingIn(3, { total: 10 })], { auth });
  const [f] = sys.flightIds as [number];
  const ada = await auth.customer("ada");
  const id = await bookFor(sys, ada, [f], 1, ["Asha Rao"]);
  const passes = await sys.bookingCall("POST", `/api/bookings/${id}/check-in`, {}, ada.headers);
  const [pass] = passes.body.boarding_passes;

  const before = await issuedBeforeRefs(sys, pass.barcode, `BP-${id}-${f}-1`);
  const verified = await sys.bookingCall("POST", "/api/boarding-passes/verify", { barcode: before });
  t.equal(verified.status, 200);
  t.same(verified.body, { valid: true, boarding_pass: pass }, "answered as the pass is now, with its id of now");
  await sys.bookingCall(
    "POST",
    `/api/bookings/${id}/check-in`,
    { seats: [{ passenger: "Asha Rao", flight_id: f, seat: "2D" }] },
    ada.headers,
  );
  t.match(
    await sys.bookingCall("POST", "/api/boarding-passes/verify", { barcode: before }),
    {
      body: { valid: false, reason: "not_current" },
    },
    "until its seat changes",
  );
});
