import t from "tap";
import { MAX_AMOUNT, MAX_PRICE } from "../../../lib/money.js";
import { startAuth } from "../../helpers/auth.js";
import { DAY, netCents, seatsOf } from "../../helpers/change-system.js";
import { startSystem } from "../../helpers/system.js";

// A change's charge is the fare difference plus CHANGE_FEE. A new trip at payment-mock's largest
// payment passes the fare check, but the fee on top of its difference went past that cap: the
// change held its new seats, then payment-mock refused the charge.

const FEE = 100_000;
const auth = await startAuth(t);
const sys = await startSystem(
  t,
  [
    { departure: `${DAY}T08:00:00Z`, total: 10, price: 1 },
    // Five seats over both legs at the largest fare: exactly the largest payment.
    { source: "DEL", destination: "GOI", departure: `${DAY}T08:00:00Z`, minutes: 60, total: 10, price: MAX_PRICE },
    { source: "GOI", destination: "BOM", departure: `${DAY}T11:00:00Z`, minutes: 60, total: 10, price: MAX_PRICE },
  ],
  { auth, sweeper: false, bookingEnv: { CHANGE_FEE: String(FEE) } },
);
const [cheap, first, second] = sys.flightIds as [number, number, number];
const ada = await auth.customer("ada");
const admin = await auth.admin();

t.test("a change whose charge would pass the largest payment is refused before anything is held", async (t) => {
  const made = await sys.bookingCall("POST", "/api/bookings", { flight_id: cheap, seats: 5, date: DAY }, ada.headers);
  t.match(made, { status: 200, body: { status: "confirmed", total_amount: 5 } }, JSON.stringify(made.body));
  const id = made.body.booking_id as number;
  const before = await netCents(sys, admin);

  const r = await sys.bookingCall(
    "POST",
    `/api/bookings/${id}/change`,
    { flight_ids: [first, second], date: DAY },
    ada.headers,
  );
  t.same(r.body, {
    error: "validation_error",
    message:
      `The change would charge 10099995 (a fare difference of 9999995 and a fee of ${FEE}), ` +
      `above the largest payment of ${MAX_AMOUNT}; choose cheaper flights.`,
    field: "flight_ids",
  });
  t.equal(r.status, 400);
  t.equal(await netCents(sys, admin), before, "nothing charged");
  t.same(await sys.flight.inventory.availableSeats([first, second]), [10, 10], "no new seat held or sold");
  t.equal(await seatsOf(sys, cheap), 5, "the booking keeps its seats");
  const read = await sys.bookingCall("GET", `/api/bookings/${id}`, undefined, ada.headers);
  t.match(read.body, { status: "confirmed", flight_ids: [cheap], total_amount: 5, changes: [] });
});
