import t from "tap";
import type { Account } from "../../helpers/auth.js";
import { available, changeSystem, DAY, FEE, netCents, seatsOf } from "../../helpers/change-system.js";

// A booking paid in miles is changed in miles: a dearer change debits the difference plus the fee
// from the traveller's loyalty account (never money), too few miles leave the booking as it was,
// a cheaper change gives back the refund in miles (newest debit first, part of a redemption), and
// cancelling gives back exactly what is left of every debit.

const { sys, auth, admin, f } = await changeSystem(t);
const service = await auth.service();
const change = (id: number, body: unknown, who: Account) =>
  sys.bookingCall("POST", `/api/bookings/${id}/change`, body, who.headers);
const balance = async (who: Account) =>
  (await auth.app.inject({ url: "/api/loyalty/me", headers: who.headers })).json().balance as number;

let n = 0;
async function traveller(miles: number): Promise<Account> {
  const who = await auth.customer(`miles-change${++n}`);
  const res = await auth.app.inject({
    method: "POST",
    url: "/api/loyalty/earn",
    headers: service.headers,
    payload: { user_id: who.userId, booking_id: 800_000 + n, flight_id: 1, miles },
  });
  if (res.statusCode !== 200) throw new Error(`earn: ${res.statusCode} ${res.body}`);
  return who;
}
async function bookInMiles(who: Account, flightId: number): Promise<number> {
  const r = await sys.bookingCall(
    "POST",
    "/api/bookings",
    { flight_id: flightId, seats: 2, date: DAY, payment_type: "miles" },
    who.headers,
  );
  if (r.status !== 200) throw new Error(`booking: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.booking_id as number;
}

t.test("dearer in miles, cheaper refunded in miles, cancelled: every debit given back, no money moved", async (t) => {
  const ada = await traveller(20_000);
  const moneyBefore = await netCents(sys, admin);
  const id = await bookInMiles(ada, f.base);
  t.equal(await balance(ada), 10_000, "2 × 5000 debited");

  const up = await change(id, { flight_ids: [f.dearer], date: DAY }, ada);
  t.match(up, {
    status: 200,
    body: { change_status: "completed", total_amount: 14000, charged: 4000 + FEE, payment_id: /^miles-\d+$/ },
  });
  t.equal(await balance(ada), 10_000 - 4000 - FEE, "the difference and the fee in miles");
  t.equal(await seatsOf(sys, f.dearer), 2);

  // 14000 → 8000 with the fee: 5750 back, all 4250 of the change's debit and 1500 of the booking's.
  const down = await change(id, { flight_ids: [f.cheaper], date: DAY }, ada);
  t.match(down, {
    status: 200,
    body: { change_status: "completed", total_amount: 8000, charged: 0, refunded: 6000 - FEE },
  });
  t.equal(await balance(ada), 10_000 - 4000 - FEE + 6000 - FEE, "the refund in miles");
  const refunds = (await auth.app.inject({ url: "/api/loyalty/me", headers: ada.headers })).json().entries;
  t.match(refunds.slice(0, 2), [
    { kind: "refund", miles: 1500, booking_id: id },
    { kind: "refund", miles: 4000 + FEE, booking_id: id },
  ]);
  t.match((await sys.bookingCall("GET", `/api/bookings/${id}`, undefined, ada.headers)).body, {
    flight_ids: [f.cheaper],
    total_amount: 8000,
  });
  t.equal(await seatsOf(sys, f.cheaper), 2);
  t.equal(await seatsOf(sys, f.dearer), 0, "the dearer flight's seats given back");

  const cancelled = await sys.bookingCall("PUT", `/api/bookings/${id}/cancel`, undefined, ada.headers);
  t.match(cancelled, { status: 200, body: { status: "cancelled" } });
  t.equal(await balance(ada), 20_000, "exactly the rest of every debit back: the balance as at the start");
  t.equal(await netCents(sys, admin), moneyBefore, "no money charged or refunded");
});

t.test("too few miles for the difference: 402, the booking as it was, the new seats released", async (t) => {
  const bo = await traveller(10_000);
  const id = await bookInMiles(bo, f.base);
  t.equal(await balance(bo), 0);
  const before = await available(sys, f.dearer);
  const r = await change(id, { flight_ids: [f.dearer], date: DAY }, bo);
  t.match(r, { status: 402, body: { error: "insufficient_miles" } });
  t.match((await sys.bookingCall("GET", `/api/bookings/${id}`, undefined, bo.headers)).body, {
    status: "confirmed",
    flight_ids: [f.base],
    total_amount: 10000,
  });
  t.equal(await available(sys, f.dearer), before, "the new legs' hold was released");
  t.equal(await balance(bo), 0);
});

t.test(
  "the ledger refuses the part refund (the debit was given back already): the change finishes, why recorded",
  async (t) => {
    const cy = await traveller(20_000);
    const id = await bookInMiles(cy, f.base);
    const paymentId = (await sys.bookingCall("GET", `/api/bookings/${id}`, undefined, cy.headers)).body.payment_id;
    const entry = Number(String(paymentId).slice("miles-".length));
    const back = await auth.app.inject({
      method: "POST",
      url: `/api/loyalty/entries/${entry}/refund`,
      headers: service.headers,
    });
    t.equal(back.statusCode, 200, "every mile of the debit given back elsewhere");
    t.equal(await balance(cy), 20_000);

    const down = await change(id, { flight_ids: [f.cheaper], date: DAY }, cy);
    const why = `the loyalty ledger refused it (Redemption ${entry} has 0 miles left to give back; ${2000 - FEE} were asked)`;
    t.match(down, {
      status: 200,
      body: {
        change_status: "completed",
        flight_ids: [f.cheaper],
        total_amount: 8000,
        charged: 0,
        refunded: 0,
        not_refunded: 2000 - FEE,
        message: `Booking changed, but ${2000 - FEE} of its refund was not made: ${why}.`,
      },
    });
    t.equal(await balance(cy), 20_000, "no mile given twice");
    t.equal(await seatsOf(sys, f.cheaper), 2);
    t.match((await sys.bookingCall("GET", `/api/bookings/${id}`, undefined, cy.headers)).body.changes, [
      { refunded: 0, not_refunded: 2000 - FEE, message: `${2000 - FEE} of its refund was not made: ${why}.` },
    ]);
  },
);
