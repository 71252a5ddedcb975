import t from "tap";
import { earnedFromFlownLegs, ledgerTruth, type MilesObservations, paidOnce } from "../../stress/invariants/miles.js";
import type { ScopeBooking } from "../../stress/invariants/reads.js";
import type { MilesEntry } from "../../stress/services.js";

// The loyalty scenario's invariants as pure functions: what passes, and that each breach fails.

const booking = (id: number, status: ScopeBooking["status"], payment_type: string, seats = 1): ScopeBooking => ({
  id,
  user_id: 7,
  status,
  seats,
  total_amount: 100,
  payment_id: null,
  payment_key: `booking-${id}-0123456789abcdef`,
  payment_type,
  legs: [1],
  leg_refunded: 0,
  leg_refunds: 0,
});

function observations(entries: MilesEntry[], over: Partial<MilesObservations> = {}): MilesObservations {
  const balance = entries.reduce((a, e) => a + e.miles, 0);
  return {
    bookings: [booking(1, "confirmed", "miles", 2), booking(2, "cancelled", "miles"), booking(3, "failed", "upi")],
    legs: [
      { booking_id: 1, flight_id: 1, flown: true, boarded: true },
      { booking_id: 2, flight_id: 1, flown: false, boarded: true },
      { booking_id: 3, flight_id: 1, flown: false, boarded: true },
    ],
    statements: new Map([[7, { balance, entries }]]),
    distances: new Map([[1, 100.4]]),
    payments: new Map(),
    ...over,
  };
}

const GOOD: MilesEntry[] = [
  { id: 1, kind: "adjust", miles: 1_000 },
  { id: 2, kind: "redeem", miles: -100, booking_id: 1 },
  { id: 3, kind: "redeem", miles: -100, booking_id: 2 },
  { id: 4, kind: "refund", miles: 100, booking_id: 2 },
  { id: 5, kind: "earn", miles: 201, booking_id: 1 },
];

t.test("a consistent run passes all three", async (t) => {
  const o = observations(GOOD);
  t.equal(ledgerTruth(o).ok, true);
  t.equal(earnedFromFlownLegs(o).ok, true, earnedFromFlownLegs(o).detail);
  t.equal(paidOnce(o).ok, true, paidOnce(o).detail);
});

t.test("each breach fails its invariant", async (t) => {
  const wrongBalance = observations(GOOD);
  (wrongBalance.statements.get(7) as { balance: number }).balance = 5;
  t.equal(ledgerTruth(wrongBalance).ok, false, "balance ≠ sum");

  t.equal(earnedFromFlownLegs(observations(GOOD.map((e) => (e.id === 5 ? { ...e, miles: 200 } : e)))).ok, false);
  t.equal(earnedFromFlownLegs(observations([...GOOD, { id: 6, kind: "earn", miles: 201, booking_id: 1 }])).ok, false);
  const cancelledFlown = observations(GOOD);
  cancelledFlown.legs[1] = { booking_id: 2, flight_id: 1, flown: true, boarded: true };
  t.equal(earnedFromFlownLegs(cancelledFlown).ok, false, "a cancelled booking flown");

  t.equal(paidOnce(observations([...GOOD, { id: 7, kind: "redeem", miles: -100, booking_id: 1 }])).ok, false);
  t.equal(paidOnce(observations(GOOD.filter((e) => e.id !== 4))).ok, false, "cancelled, miles kept");
  const chargedTwice = observations(GOOD, {
    payments: new Map([
      [
        1,
        {
          payment_id: "pay_1",
          booking_id: 1,
          amount: 100,
          status: "success",
          message: "",
          created_at: "",
        } as never,
      ],
    ]),
  });
  t.equal(paidOnce(chargedTwice).ok, false, "paid in miles and in money");
  t.equal(paidOnce(observations([...GOOD, { id: 8, kind: "redeem", miles: -1, booking_id: 3 }])).ok, false);
});

t.test("a confirmed booking refunded its cancelled leg's miles passes; a whole refund then fails", async (t) => {
  const legRefunded = (entries: MilesEntry[]) =>
    observations(entries, {
      bookings: [
        { ...booking(1, "confirmed", "miles", 2), leg_refunded: 40, leg_refunds: 1 },
        booking(2, "cancelled", "miles"),
        booking(3, "failed", "upi"),
      ],
    });
  const leg: MilesEntry = { id: 6, kind: "refund", miles: 40, booking_id: 1 };
  const o = legRefunded([...GOOD, leg]);
  t.equal(paidOnce(o).ok, true, paidOnce(o).detail);
  t.equal(ledgerTruth(o).ok, true);
  t.equal(paidOnce(legRefunded([...GOOD, leg, { id: 7, kind: "refund", miles: 60, booking_id: 1 }])).ok, false);
  t.equal(paidOnce(observations([...GOOD, leg])).ok, false, "a part refund no leg accounts for");
});
