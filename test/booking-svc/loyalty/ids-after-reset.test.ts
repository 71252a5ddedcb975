import { readFile } from "node:fs/promises";
import t, { type Test } from "tap";
import { buildApp } from "../../../booking-svc/app.js";
import { distanceMiles } from "../../../booking-svc/flown/leg-miles.js";
import { projectPath } from "../../../lib/paths.js";
import { createSql } from "../../../lib/postgres-plugin.js";
import { type Account, startAuth } from "../../helpers/auth.js";
import { testBookingConfig } from "../../helpers/config.js";
import { type System, startSystem } from "../../helpers/system.js";

// `make db-reset` re-creates flights_db and bookings_db, so booking ids start again at 1, and keeps
// users_db, whose miles ledger still holds the entries of the bookings it dropped; a payment-mock
// it could not reach still holds their charges. A booking that got an old booking's id was
// answered that booking's debit (confirmed, no miles taken), its change's debit, its earned miles
// and its charge. Each system below starts on emptied stores with ids from 1, users_db kept: a
// reset as db-reset leaves it.
const auth = await startAuth(t);
const service = await auth.service();
const DAY = "2090-01-01";
const FLIGHTS = [
  { source: "DEL", destination: "BOM", departure: `${DAY}T08:00:00Z`, price: 701 },
  { source: "DEL", destination: "BOM", departure: `${DAY}T12:00:00Z`, price: 901 },
];
const EARNED = Math.round(distanceMiles("DEL", "BOM") as number);
const startOnEmptiedStores = (t: Test) =>
  startSystem(t, FLIGHTS, { auth, sweeper: false, bookingEnv: { FLOWN_JOB_MS: "86400000" } });

const balance = async (who: Account) =>
  (await auth.app.inject({ url: "/api/loyalty/me", headers: who.headers })).json().balance as number;

/** Books in miles, changes to the dearer flight (paid in miles) and flies it; what each answered. */
async function bookChangeFly(t: Test, sys: System & { flightIds: number[] }, who: Account) {
  const [early, late] = sys.flightIds as [number, number];
  const booked = await sys.bookingCall(
    "POST",
    "/api/bookings",
    { flight_id: early, seats: 1, date: DAY, payment_type: "miles" },
    who.headers,
  );
  t.match(booked, { status: 200, body: { status: "confirmed", payment_id: /^miles-\d+$/ } });
  const id = booked.body.booking_id as number;
  const changed = await sys.bookingCall(
    "POST",
    `/api/bookings/${id}/change`,
    { flight_ids: [late], date: DAY },
    who.headers,
  );
  t.match(changed, { status: 200, body: { change_status: "completed", charged: 200, payment_id: /^miles-\d+$/ } });
  const landed = await buildApp({
    config: sys.config,
    sweeper: false,
    disruption: false,
    flown: false,
    flownClock: () => new Date("2090-01-02T00:00:00Z"),
  });
  t.teardown(() => landed.close());
  t.same(await landed.flownJob.runOnce(), { flown: 1, earned: 1 });
  return { id, paid: booked.body.payment_id as string, changePaid: changed.body.payment_id as string };
}

t.test("paid in miles after a reset: a booking with an old booking's id is debited and earns", async (t) => {
  const ada = await auth.customer("ada");
  const topUp = await auth.app.inject({
    method: "POST",
    url: "/api/loyalty/earn",
    headers: service.headers,
    payload: { user_id: ada.userId, booking_id: 900_000, flight_id: 1, miles: 10_000 },
  });
  t.equal(topUp.statusCode, 200);
  const round = 10_000 - 701 - 200 + EARNED;

  let before = { id: 0, paid: "", changePaid: "" };
  await t.test("before the reset", async (t) => {
    before = await bookChangeFly(t, await startOnEmptiedStores(t), ada);
    t.equal(await balance(ada), round);
  });
  await t.test("after the reset", async (t) => {
    const after = await bookChangeFly(t, await startOnEmptiedStores(t), ada);
    t.equal(after.id, before.id, "the old booking's id, given again");
    t.not(after.paid, before.paid, "a debit of its own");
    t.not(after.changePaid, before.changePaid, "its change's debit of its own");
    t.equal(await balance(ada), round - 701 - 200 + EARNED, "the fare and the change taken, the flight earned");
  });
});

t.test(
  "paid in money after a reset, payment-mock not told to forget: charged, not answered the old charge",
  async (t) => {
    const bob = await auth.customer("bob");
    const sys = await startOnEmptiedStores(t);
    const [early] = sys.flightIds as [number];
    // What payment-mock holds of the dropped booking 1: its charge under booking-svc's key, refunded.
    const old = await sys.paymentCall(
      "POST",
      "/api/payments/process",
      { booking_id: 1, amount: 701, user_id: bob.userId, payment_type: "credit_card" },
      { ...service.headers, "idempotency-key": "booking-1" },
    );
    t.equal(old.status, 200);
    const refund = await sys.paymentCall(
      "POST",
      "/api/payments/refund",
      { payment_id: old.body.payment_id },
      service.headers,
    );
    t.equal(refund.status, 200);

    const booked = await sys.bookingCall(
      "POST",
      "/api/bookings",
      { flight_id: early, seats: 1, date: DAY, payment_type: "credit_card" },
      bob.headers,
    );
    t.match(booked, { status: 200, body: { booking_id: 1, status: "confirmed" } });
    t.not(booked.body.payment_id, old.body.payment_id, "a charge of its own");
    const charge = await sys.paymentCall("GET", `/api/payments/${booked.body.payment_id}`, undefined, service.headers);
    t.match(charge.body, { booking_id: 1, amount: 701, status: "success", refunded_amount: 0 });
  },
);

t.test("migration 012 leaves the keys of bookings and changes made before it as they were", async (t) => {
  const migration = await readFile(projectPath("booking-svc", "migrations", "012_booking_key_nonce.sql"), "utf8");
  const sql = createSql(testBookingConfig().bookingsDatabaseUrl, 1);
  t.teardown(() => sql.end({ timeout: 5 }));
  const undo = new Error("rolled back");
  let seen: { old: string; oldChange: string; made: string } | undefined;
  await sql
    .begin(async (tx) => {
      // The schema as migration 011 left it.
      await tx`ALTER TABLE bookings DROP COLUMN payment_key, DROP COLUMN key_nonce`;
      await tx`ALTER TABLE bookings ADD COLUMN payment_key text GENERATED ALWAYS AS ('booking-' || id) STORED`;
      await tx`ALTER TABLE booking_changes DROP COLUMN payment_key, DROP COLUMN key_nonce`;
      await tx`ALTER TABLE booking_changes ADD COLUMN payment_key text
        GENERATED ALWAYS AS ('booking-' || booking_id || '-change-' || change_no) STORED`;
      const row = () => tx<{ id: number }[]>`
        INSERT INTO bookings (user_id, seats, travel_date, payment_type, total_amount, status, step, payment_id)
        VALUES (9012, 1, '2090-01-01', 'credit_card', 100, 'confirmed', 'done', 'pay-9012') RETURNING id::int`;
      const [old] = await row();
      await tx`INSERT INTO booking_changes (booking_id, change_no, status, step, travel_date, from_flight_ids, to_legs,
          from_hold_id, from_amount, to_amount, fee, charge_amount, refund_amount)
        VALUES (${old!.id}, 1, 'completed', 'done', '2090-01-01', '{1}', '[]', ${`bk-${old!.id}`}, 100, 100, 0, 0, 0)`;
      await tx.unsafe(migration);
      const [made] = await row();
      const keys = await tx<{ id: number; payment_key: string }[]>`
        SELECT id::int, payment_key FROM bookings WHERE id IN (${old!.id}, ${made!.id})
        UNION ALL SELECT 0, payment_key FROM booking_changes WHERE booking_id = ${old!.id}`;
      const of = (id: number) => keys.find((k) => k.id === id)?.payment_key as string;
      seen = { old: of(old!.id), oldChange: of(0), made: of(made!.id) };
      throw undo;
    })
    .catch((err) => {
      if (err !== undo) throw err;
    });
  const oldId = Number(seen?.old.slice("booking-".length));
  t.match(seen, {
    old: `booking-${oldId}`,
    oldChange: `booking-${oldId}-change-1`,
    made: new RegExp(`^booking-${oldId + 1}-[0-9a-f]{16}$`),
  });
});
