import t from "tap";
import { startAuth } from "../../helpers/auth.js";
import { assignedInPostgres, bookFor, departingIn, takenSeats } from "../../helpers/check-in.js";
import { startSystem } from "../../helpers/system.js";

// Two customers want seat 3C and press check-in again and again, all at once: exactly one of
// them gets it (every try of theirs answers it), every try of the other is 409 seat_taken.

t.test("two users racing for one seat, 8 tries each at once: exactly one wins", async (t) => {
  const auth = await startAuth(t);
  // Every try of the winner queues for the flight's check-in lock: more than the usual 1 s each
  // on a busy machine.
  const env = { FLIGHT_TIMEOUT_MS: "4000", BOOKING_PENDING_DEADLINE_SECONDS: "20" };
  const sys = await startSystem(t, [departingIn(3, { total: 30 })], { auth, env });
  const [f] = sys.flightIds as [number];
  const users = [await auth.customer("ada"), await auth.customer("bob")];
  const bookings = [await bookFor(sys, users[0]!, [f]), await bookFor(sys, users[1]!, [f])];

  const tries = Array.from({ length: 16 }, (_, i) => {
    const who = i % 2;
    return sys
      .bookingCall(
        "POST",
        `/api/bookings/${bookings[who]}/check-in`,
        { seats: [{ passenger: "Passenger 1", flight_id: f, seat: "3C" }] },
        users[who]!.headers,
      )
      .then((reply) => ({ who, reply }));
  });
  const results = await Promise.all(tries);
  const winners = new Set(results.filter((r) => r.reply.status === 200).map((r) => r.who));
  t.equal(winners.size, 1, "one user holds the seat");
  const [winner] = [...winners] as [number];
  for (const r of results) {
    if (r.who === winner) t.match(r.reply, { status: 200, body: { boarding_passes: [{ seat: "3C" }] } });
    else t.match(r.reply, { status: 409, body: { error: "seat_taken", seat: "3C", flight_id: f } });
  }
  t.same(await assignedInPostgres(sys, f), { "3C": `${bookings[winner]}:0` });
  t.same(await takenSeats(sys, f), ["3C"]);
});
