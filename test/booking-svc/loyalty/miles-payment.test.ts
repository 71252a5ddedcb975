import t from "tap";
import type { Action } from "../../../booking-svc/saga/machine.js";
import { type Account, startAuth } from "../../helpers/auth.js";
import { startSystem } from "../../helpers/system.js";

// payment_type "miles": the saga's pay, lookup and refund steps go to user-svc's ledger instead
// of payment-mock, on every path: debited and confirmed, refused for too few miles, hold refused,
// confirm failing, a crash after the debit, a cancellation.
const auth = await startAuth(t);
const service = await auth.service();
let before: Partial<Record<Action, () => Promise<unknown> | unknown>> = {};
const sys = await startSystem(
  t,
  [
    { total: 50, price: 701 },
    { total: 3, price: 100 },
  ],
  {
    auth,
    env: { PAYMENT_TIMEOUT_MS: "400", FLIGHT_TIMEOUT_MS: "500", BOOKING_PENDING_DEADLINE_SECONDS: "2" },
    bookingEnv: { MILES_PER_UNIT: "0.5" },
    sweeper: false,
    hooks: {
      beforeAction: async (action) => {
        await before[action]?.();
      },
    },
  },
);
const [F, SMALL] = sys.flightIds as [number, number];
const booking = sys.booking!;
// 701 × 0.5 = 350.5: every started mile counts.
const FARE_MILES = 351;

let n = 0;
/** A customer with `miles` in their account (earned on a made-up flown leg). */
async function traveller(miles: number): Promise<Account> {
  const who = await auth.customer(`miles${++n}`);
  if (miles > 0) {
    const res = await auth.app.inject({
      method: "POST",
      url: "/api/loyalty/earn",
      headers: service.headers,
      payload: { user_id: who.userId, booking_id: 900_000 + n, flight_id: 1, miles },
    });
    if (res.statusCode !== 200) throw new Error(`earn: ${res.statusCode} ${res.body}`);
  }
  return who;
}
const book = (who: Account, over: Record<string, unknown> = {}) =>
  sys.bookingCall(
    "POST",
    "/api/bookings",
    { flight_id: F, seats: 1, date: "2024-02-15", payment_type: "miles", ...over },
    who.headers,
  );
const balance = async (who: Account) =>
  (await auth.app.inject({ url: "/api/loyalty/me", headers: who.headers })).json().balance as number;
const entries = async (who: Account) =>
  (await auth.app.inject({ url: "/api/loyalty/me", headers: who.headers })).json().entries as {
    kind: string;
    miles: number;
    booking_id: number;
  }[];
const available = async (id: number) => (await sys.flight.inventory.availableSeats([id]))[0] as number;
const row = async (id: number) => (await booking.bookingsRepo.get(id))!;
const hold = async (id: number) =>
  sys.flightCall("GET", `/api/flights/holds/${await sys.holdIdOf(id)}`, undefined, service.headers);
const noMoneyCharged = async (id: number) => (await sys.paymentOf(id, service.headers)).status === 404;

t.beforeEach(() => {
  before = {};
});

t.test("paid in miles: confirmed, debited once, no money charged; cancelling gives the miles back once", async (t) => {
  const ada = await traveller(1_000);
  const seatsBefore = await available(F);
  const r = await book(ada);
  t.equal(r.status, 200);
  t.match(r.body, { status: "confirmed", total_amount: 701, payment_id: /^miles-\d+$/ });
  t.equal(await balance(ada), 1_000 - FARE_MILES);
  t.ok(await noMoneyCharged(r.body.booking_id));
  t.equal(await available(F), seatsBefore - 1);

  const id = r.body.booking_id;
  const cancel = await sys.bookingCall("PUT", `/api/bookings/${id}/cancel`, undefined, ada.headers);
  t.equal(cancel.status, 200);
  t.match(cancel.body, { status: "cancelled", refund_id: /^miles-\d+$/ });
  const again = await sys.bookingCall("PUT", `/api/bookings/${id}/cancel`, undefined, ada.headers);
  t.equal(again.body.refund_id, cancel.body.refund_id);
  t.equal(await balance(ada), 1_000);
  t.match(await entries(ada), [
    { kind: "refund", miles: FARE_MILES, booking_id: id },
    { kind: "redeem", miles: -FARE_MILES, booking_id: id },
    { kind: "earn" },
  ]);
  t.equal(await available(F), seatsBefore);
});

t.test("too few miles: 402 insufficient_miles, the hold released before the answer, nothing taken", async (t) => {
  const bob = await traveller(FARE_MILES - 1);
  const seatsBefore = await available(F);
  const r = await book(bob);
  t.equal(r.status, 402);
  t.match(r.body, {
    status: "failed",
    error: "insufficient_miles",
    message: `The account has ${FARE_MILES - 1} miles; ${FARE_MILES} are needed.`,
  });
  t.equal(await available(F), seatsBefore, "nothing held");
  t.equal((await hold(r.body.booking_id)).body.status, "released");
  t.equal(await balance(bob), FARE_MILES - 1);
  t.equal((await entries(bob)).length, 1, "no redemption recorded");
});

t.test("the hold refused: nothing debited", async (t) => {
  const cy = await traveller(1_000);
  // Someone else takes the last seats between validation and the hold.
  before = {
    hold: () => sys.flightCall("POST", "/api/flights/holds", { flight_ids: [SMALL], seats: 3 }, service.headers),
  };
  const r = await book(cy, { flight_id: SMALL });
  t.equal(r.status, 409);
  t.match(r.body, { status: "failed", error: "not_enough_seats" });
  t.equal(await balance(cy), 1_000);
  t.equal((await entries(cy)).length, 1);
});

t.test("the confirm fails after the debit (flight cancelled): the miles are refunded", async (t) => {
  const dee = await traveller(1_000);
  const [other] = await sys.flightsSql<{ id: number }[]>`
    INSERT INTO flights (flight_number, source, destination, departure_time, arrival_time, total_seats, price)
    VALUES ('SB998', 'DEL', 'BOM', '2024-02-15T18:00:00Z', '2024-02-15T20:00:00Z', 10, 100) RETURNING id::int`;
  before = { confirm: () => sys.flightsSql`UPDATE flights SET status = 'cancelled' WHERE id = ${other!.id}` };
  const r = await book(dee, { flight_id: other!.id });
  t.equal(r.status, 409);
  t.match(r.body, { status: "failed", error: "flight_cancelled", refund_id: /^miles-/ });
  t.equal(await balance(dee), 1_000);
  t.match(await entries(dee), [{ kind: "refund", miles: 50 }, { kind: "redeem", miles: -50 }, { kind: "earn" }]);
});

t.test("a crash after the debit: the sweeper finds the debit by its key and confirms, debited once", async (t) => {
  const eve = await traveller(1_000);
  before = {
    confirm: () => {
      throw new Error("simulated crash before confirm");
    },
  };
  const r = await book(eve);
  t.equal(r.status, 500);
  before = {};
  const [last] = await sys.bookingsSql<{ id: number }[]>`SELECT max(id)::int AS id FROM bookings`;
  const id = last!.id;
  t.match(await row(id), { status: "pending", step: "pay", paymentId: null });
  t.equal(await balance(eve), 1_000 - FARE_MILES);
  await sys.bookingsSql`UPDATE bookings SET lease_until = now() - interval '1 ms' WHERE id = ${id}`;
  await booking.sweeper.sweepOnce();
  t.match(await row(id), { status: "confirmed", step: "done", paymentId: /^miles-/ });
  t.equal(await balance(eve), 1_000 - FARE_MILES);
  t.equal((await entries(eve)).filter((e) => e.kind === "redeem").length, 1);
});

t.test("a crash before the debit: the sweeper finds none, releases the seats and fails the booking", async (t) => {
  const fay = await traveller(1_000);
  const seatsBefore = await available(F);
  before = {
    pay: () => {
      throw new Error("simulated crash before pay");
    },
  };
  t.equal((await book(fay)).status, 500);
  before = {};
  const [last] = await sys.bookingsSql<{ id: number }[]>`SELECT max(id)::int AS id FROM bookings`;
  await sys.bookingsSql`UPDATE bookings SET lease_until = now() - interval '1 ms' WHERE id = ${last!.id}`;
  await booking.sweeper.sweepOnce();
  t.match(await row(last!.id), { status: "failed", errorCode: "payment_not_completed" });
  t.equal(await balance(fay), 1_000);
  t.equal(await available(F), seatsBefore);
});

t.test("payment_type outside the list is refused naming the field", async (t) => {
  const gil = await traveller(0);
  const r = await book(gil, { payment_type: "points" });
  t.equal(r.status, 400);
  t.equal(r.body.field, "payment_type");
});
