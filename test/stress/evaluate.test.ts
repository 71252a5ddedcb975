import t from "tap";
import type { PaymentStats } from "../../contracts/payment-mock/admin.js";
import type { PaymentRecord } from "../../contracts/payment-mock/payments.js";
import { noCrossUserAccess } from "../../stress/invariants/cross-user.js";
import { evaluate, type Observations } from "../../stress/invariants/evaluate.js";
import type { ScopeBooking } from "../../stress/invariants/reads.js";
import { answersVsDatabase } from "../../stress/report/answers.js";
import type { PhaseResult } from "../../stress/report/types.js";

const phase = (codes: Record<string, number>): PhaseResult => ({
  name: "demo",
  connections: 4,
  durationSeconds: 1,
  requests: Object.values(codes).reduce((a, b) => a + b, 0),
  requestsPerSecond: 10,
  statusCodes: codes,
  errors: 0,
  timeouts: 0,
  targets: [
    {
      name: "booking",
      connections: 4,
      requests: Object.values(codes).reduce((a, b) => a + b, 0),
      requestsPerSecond: 10,
      latencyMs: { p50: 1, p90: 2, p95: 2.5, p99: 3, max: 4, mean: 1.5 },
      statusCodes: codes,
      errors: 0,
      timeouts: 0,
      timeline: [],
    },
  ],
});

const stats = (charged: number, chargedAmount: number, refunds: number, refunded: number): PaymentStats => ({
  success: { count: charged, amount: chargedAmount },
  failed: { count: 0, amount: 0 },
  timeout: { count: 0, processed: 0 },
  refunds: { count: refunds, amount: refunded },
  net_amount: chargedAmount - refunded,
});

const booking = (
  id: number,
  status: ScopeBooking["status"],
  seats: number,
  legs: number[],
  amount: number,
): ScopeBooking => ({
  id,
  user_id: 1_000 + id,
  status,
  seats,
  total_amount: amount,
  payment_id: status === "confirmed" || status === "cancelled" ? `pay_${id}` : null,
  payment_key: `booking-${id}-0123456789abcdef`,
  payment_type: "credit_card",
  legs,
  leg_refunded: 0,
  leg_refunds: 0,
});

const record = (id: number, amount: number): PaymentRecord => ({
  payment_id: `pay_${id}`,
  booking_id: id,
  user_id: 1,
  amount,
  payment_type: "credit_card",
  status: "success",
  refunded_amount: 0,
  idempotency_key: `booking-${id}-0123456789abcdef`,
  created_at: "2024-02-15T08:00:00.000Z",
});

const paid = (id: number, amount: number, refunded = 0): PaymentRecord => ({
  ...record(id, amount),
  refunded_amount: refunded,
});

/**
 * A consistent world: flight 1 (10 seats, 4 booked up front) and flight 2 (10 seats), a
 * confirmed one-leg booking, a confirmed two-leg booking, a declined one, a cancelled one
 * (refunded) and a failed one whose charge was refunded (a timeout that charged).
 */
function world(): Observations {
  const bookings = [
    booking(11, "confirmed", 2, [1], 200.5),
    booking(12, "confirmed", 1, [1, 2], 300.25),
    booking(13, "failed", 3, [1], 450),
    booking(14, "cancelled", 2, [2], 180),
    booking(15, "failed", 1, [2], 90.1),
  ];
  return {
    phases: [phase({ "201": 3, "402": 1, "409": 5 })],
    unfinished: [],
    waitedSeconds: 1.2,
    bookings,
    scenarioFlights: [
      { id: 1, prefilled: 4 },
      { id: 2, prefilled: 0 },
    ],
    flightRows: [
      { id: 1, total_seats: 10, booked_seats: 7 },
      { id: 2, total_seats: 10, booked_seats: 1 },
      { id: 99, total_seats: 180, booked_seats: 50 },
    ],
    counters: new Map([
      [1, 3],
      [2, 9],
      [99, 130],
    ]),
    held: new Map(),
    oversold: [],
    reconcile: { flights_checked: 3, drift: [], repaired: 0 },
    statsBefore: stats(100, 10_000, 10, 1_000),
    // +4 charges (11, 12, 14, 15) = 770.85; +2 refunds (14, 15) = 270.10
    statsAfter: stats(104, 10_770.85, 12, 1_270.1),
    payments: new Map<number, PaymentRecord | null>([
      [11, paid(11, 200.5)],
      [12, paid(12, 300.25)],
      [13, { ...record(13, 450), status: "failed" }],
      [14, paid(14, 180, 180)],
      [15, { ...paid(15, 90.1, 90.1), payment_id: "pay_15" }],
    ]),
  };
}

const byName = (o: Observations) => new Map(evaluate(o).map((r) => [r.name, r]));

t.test("a consistent world passes every invariant", async (t) => {
  const results = evaluate(world());
  t.same(
    results.filter((r) => !r.ok),
    [],
  );
  t.same(
    results.map((r) => r.name),
    [
      "no 5xx responses",
      "nothing left pending",
      "no flight oversold",
      "booked seats = confirmed bookings",
      "available = total − confirmed − held",
      "reconcile reports no drift",
      "confirmed = payments − refunds",
      "no booking without payment",
      "no payment without booking",
    ],
  );
  t.match(
    byName(world()).get("confirmed = payments − refunds")?.detail,
    "2 confirmed = 4 charged − 2 refunded; 500.75 = 770.85 − 270.10",
  );
});

t.test("a 5xx anywhere fails", async (t) => {
  const o = { ...world(), phases: [phase({ "200": 10 }), phase({ "200": 3, "503": 2 })] };
  const r = byName(o).get("no 5xx responses");
  t.equal(r?.ok, false);
  t.equal(r?.detail, "2 × 503 in demo");
});

t.test("an oversold flight fails", async (t) => {
  const o = world();
  // A third confirmed booking takes 4 seats of flight 1: 4 + 2 + 1 + 4 = 11 > 10.
  o.bookings.push(booking(16, "confirmed", 4, [1], 400));
  const r = byName(o);
  t.equal(r.get("no flight oversold")?.ok, false);
  t.match(r.get("no flight oversold")?.detail, "flight 1: bookings hold 11 seats of 10");
  t.equal(r.get("booked seats = confirmed bookings")?.ok, false);
});

t.test("a leaked seat (counter below total − confirmed) fails, and so does a reported drift", async (t) => {
  const o = world();
  o.counters.set(2, 8);
  o.reconcile = { flights_checked: 3, drift: [{ flight_id: 2, redis: 8, expected: 9 }], repaired: 0 };
  const r = byName(o);
  t.equal(r.get("available = total − confirmed − held")?.detail, "flight 2: redis 8, total − confirmed − held 9");
  t.equal(r.get("reconcile reports no drift")?.ok, false);
  t.equal(byName({ ...world(), reconcile: { error: "404" } }).get("reconcile reports no drift")?.ok, false);
});

t.test("booked seats without a confirmed booking fail", async (t) => {
  const o = world();
  o.flightRows[1] = { id: 2, total_seats: 10, booked_seats: 3 };
  o.counters.set(2, 7);
  const r = byName(o).get("booked seats = confirmed bookings");
  t.equal(r?.ok, false);
  t.equal(r?.detail, "flight 2: booked_seats 3, confirmed bookings 1");
});

t.test("a charge that no booking accounts for fails (count and amount)", async (t) => {
  const o = world();
  o.statsAfter = stats(105, 10_870.85, 12, 1_270.1);
  const r = byName(o);
  t.equal(r.get("confirmed = payments − refunds")?.ok, false);
  t.match(
    r.get("no payment without booking")?.detail,
    "payment-mock recorded 5 charges (870.85), bookings account for 4 (770.85)",
  );
});

t.test("a failed booking that keeps its charge fails", async (t) => {
  const o = world();
  o.payments.set(15, paid(15, 90.1, 0));
  o.statsAfter = stats(104, 10_770.85, 11, 1_180);
  const r = byName(o);
  t.match(r.get("no payment without booking")?.detail, "booking 15 is failed but keeps 90.10 charged");
  t.equal(r.get("confirmed = payments − refunds")?.ok, false);
});

t.test("a confirmed booking without its payment, or charged another amount, fails", async (t) => {
  const missing = world();
  missing.payments.set(11, null);
  t.equal(byName(missing).get("no booking without payment")?.detail, "booking 11: no payment");
  const wrong = world();
  wrong.payments.set(12, paid(12, 300.24));
  t.equal(byName(wrong).get("no booking without payment")?.detail, "booking 12: charged 300.24, booking costs 300.25");
  const declined = world();
  declined.payments.set(11, { ...paid(11, 200.5), status: "failed" });
  t.equal(byName(declined).get("no booking without payment")?.detail, "booking 11: payment pay_11 is failed");
});

t.test("a confirmed connection refunded its cancelled leg passes; refunded more, or unrecorded, fails", async (t) => {
  const legRefunded = () => {
    const o = world();
    // Booking 12 outlived its second flight's cancellation: 100 of its 300.25 refunded, one refund more.
    o.bookings = o.bookings.map((b) => (b.id === 12 ? { ...b, leg_refunded: 100, leg_refunds: 1 } : b));
    o.payments.set(12, paid(12, 300.25, 100));
    o.statsAfter = stats(104, 10_770.85, 13, 1_370.1);
    return o;
  };
  t.same(
    evaluate(legRefunded()).filter((r) => !r.ok),
    [],
  );
  const more = legRefunded();
  more.payments.set(12, paid(12, 300.25, 200));
  more.statsAfter = stats(104, 10_770.85, 14, 1_470.1);
  t.match(
    byName(more).get("no booking without payment")?.detail,
    "booking 12: confirmed but refunded 200 (its cancelled legs: 100)",
  );
  t.equal(byName(more).get("confirmed = payments − refunds")?.ok, false);
  const unrecorded = legRefunded();
  unrecorded.bookings = unrecorded.bookings.map((b) => (b.id === 12 ? { ...b, leg_refunded: 0, leg_refunds: 0 } : b));
  t.equal(byName(unrecorded).get("confirmed = payments − refunds")?.ok, false);
});

t.test("unfinished bookings fail", async (t) => {
  const r = byName({ ...world(), unfinished: [13, 15], waitedSeconds: 60 }).get("nothing left pending");
  t.equal(r?.ok, false);
  t.equal(r?.detail, "2 unfinished after 60.0 s: ids 13; 15");
});

t.test("retries of one Idempotency-Key must name one booking", async (t) => {
  const ok = {
    ...world(),
    idempotency: new Map([
      ["k1", new Set([11])],
      ["k2", new Set<number>()],
    ]),
  };
  t.equal(byName(ok).get("one booking per Idempotency-Key")?.ok, true);
  const dup = { ...world(), idempotency: new Map([["k1", new Set([11, 16])]]) };
  t.equal(byName(dup).get("one booking per Idempotency-Key")?.detail, "k1: bookings 11, 16");
});

t.test("live holds explain a counter below total − confirmed; a gap they do not explain fails", async (t) => {
  const o = world();
  // A client holds 2 seats of flight 99 for 30 minutes: 180 − 50 − 2 = 128 available.
  o.counters.set(99, 128);
  o.held.set(99, 2);
  const r = byName(o).get("available = total − confirmed − held");
  t.equal(r?.ok, true);
  t.match(r?.detail, "live holds explain the gap to total − confirmed on 1 flights (2 seats held)");
  o.counters.set(99, 127);
  t.equal(
    byName(o).get("available = total − confirmed − held")?.detail,
    "flight 99: redis 127, total − confirmed − held 128 (2 held)",
  );
  const none = byName(world()).get("available = total − confirmed − held");
  t.match(none?.detail, "no live holds");
});

t.test(
  "cross-user tries: refused and unchanged pass, one read or cancel that went through fails, open API is N/A",
  async (t) => {
    const tries = [
      { what: "GET booking 11 as user 2", status: 404 },
      { what: "cancel booking 11 as user 2", status: 404 },
      { what: "list user 1's bookings as user 2", status: 403 },
    ];
    const ok = noCrossUserAccess({ open: false, tries, changed: [] });
    t.equal(ok.ok, true);
    t.notOk(ok.notApplicable);
    t.match(ok.detail, "3 tries on other users' bookings");
    const read = noCrossUserAccess({
      open: false,
      tries: [...tries, { what: "GET booking 12 as user 1", status: 200 }],
      changed: [],
    });
    t.equal(read.ok, false);
    t.equal(read.detail, "GET booking 12 as user 1 answered 200");
    const cancelled = noCrossUserAccess({ open: false, tries, changed: ["booking 11: confirmed → cancelled"] });
    t.equal(cancelled.ok, false);
    t.equal(cancelled.detail, "booking 11: confirmed → cancelled");
    t.equal(noCrossUserAccess({ open: false, tries: [], changed: [] }).ok, false, "no try at all proves nothing");
    const open = noCrossUserAccess({ open: true, tries: [], changed: [] });
    t.equal(open.notApplicable, true, "an open API is not applicable, not passed");
    t.match(open.detail, "not applicable");
  },
);

t.test("answers vs database: each status in the database with what its bookings were answered", async (t) => {
  const answered = new Map([
    [1, "confirmed"],
    [2, "pending"],
    [4, "confirmed"],
    [5, "failed"],
  ]);
  const text = answersVsDatabase(
    [
      { id: 1, status: "confirmed" },
      { id: 2, status: "confirmed" },
      { id: 3, status: "confirmed" },
      { id: 4, status: "cancelled" },
      { id: 5, status: "failed" },
    ],
    answered,
  );
  t.equal(
    text,
    "3 confirmed in the database: 1 answered confirmed, 1 answered pending, 1 no answer (still running when the load stopped, or timed out); " +
      "1 cancelled in the database: 1 answered confirmed; 1 failed, all answered so",
  );
});
