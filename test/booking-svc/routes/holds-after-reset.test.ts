import { readFile } from "node:fs/promises";
import t from "tap";
import { projectPath } from "../../../lib/paths.js";
import { available, book, changeSystem, DAY, seatsOf } from "../../helpers/change-system.js";

// flight-svc keeps a booking's holds (Redis for about a day, its ledger for good) longer than
// bookings_db keeps booking ids unique. bookings_db restored from a backup, re-created or reset by
// hand while flights_db is not gives a new booking an old booking's id: its hold, named after the
// id alone, was answered as a replay of the old booking's confirmed hold, and the booking was
// confirmed with no seat taken (an oversell), or refused as a reused hold id on other flights.

const { sys, ada, auth, f } = await changeSystem(t);
const service = (await auth.service()).headers;

/** bookings_db as a restore leaves it: no bookings, ids from 1 again; flights_db and Redis kept. */
const emptyBookings = () => sys.bookingsSql`TRUNCATE bookings RESTART IDENTITY CASCADE`;

const holdOf = async (holdId: string) =>
  (await sys.flightCall("GET", `/api/flights/holds/${holdId}`, undefined, service)).body;

t.test("a booking that gets an old booking's id takes seats of its own", async (t) => {
  const old = await book(sys, ada, f.base, 2);
  const oldHold = await sys.holdIdOf(old);
  t.equal(await seatsOf(sys, f.base), 2);
  await emptyBookings();

  const again = await book(sys, ada, f.base, 2);
  t.equal(again, old, "the old booking's id, given again");
  t.not(await sys.holdIdOf(again), oldHold, "a hold of its own");
  t.equal(await seatsOf(sys, f.base), 4, "flights.booked_seats counts both bookings");
  t.equal(await available(sys, f.base), 6, "both bookings' seats taken");
  t.match(await holdOf(oldHold), { status: "confirmed", seats: 2 }, "the old hold untouched");

  await emptyBookings();
  const elsewhere = await sys.bookingCall(
    "POST",
    "/api/bookings",
    { flight_id: f.cheaper, seats: 1, date: DAY },
    ada.headers,
  );
  t.match(elsewhere, { status: 200, body: { booking_id: old, status: "confirmed" } }, "other flights: booked too");
  t.equal(await seatsOf(sys, f.cheaper), 1);
});

/**
 * A booking as booking-svc made it before hold ids had a nonce, whose request died after paying:
 * its hold bk-<id> in flight-svc, the row without a nonce, still at "pay", its lease run out.
 */
async function bookingFromBefore(flightId: number): Promise<number> {
  const [row] = await sys.bookingsSql<{ id: number }[]>`SELECT nextval('bookings_id_seq')::int AS id`;
  const id = row?.id as number;
  const held = await sys.flightCall(
    "POST",
    "/api/flights/holds",
    { flight_ids: [flightId], seats: 1, hold_id: `bk-${id}`, date: DAY },
    service,
  );
  if (held.status !== 201) throw new Error(`hold: ${held.status} ${JSON.stringify(held.body)}`);
  const price = held.body.legs[0].price as number;
  const [made] = await sys.bookingsSql.begin(async (tx) => {
    const rows = await tx<{ payment_key: string }[]>`
      INSERT INTO bookings (id, user_id, seats, travel_date, payment_type, total_amount, status, step, lease_until)
      VALUES (${id}, ${ada.userId}, 1, ${DAY}, 'credit_card', ${price}, 'pending', 'pay', now() - interval '1 second')
      RETURNING payment_key`;
    await tx`INSERT INTO booking_legs (booking_id, leg_no, flight_id, price, travel_date)
      VALUES (${id}, 1, ${flightId}, ${price}, ${DAY})`;
    return rows;
  });
  const paid = await sys.paymentCall(
    "POST",
    "/api/payments/process",
    { booking_id: id, amount: price, user_id: ada.userId, payment_type: "credit_card" },
    { ...service, "idempotency-key": made?.payment_key as string },
  );
  if (paid.status !== 200) throw new Error(`payment: ${paid.status} ${JSON.stringify(paid.body)}`);
  return id;
}

t.test("a booking made before the nonce is settled, changed and cancelled under its own hold", async (t) => {
  const [base, dearer, cheaper] = [
    await seatsOf(sys, f.base),
    await seatsOf(sys, f.dearer),
    await seatsOf(sys, f.cheaper),
  ];
  const kept = await bookingFromBefore(f.base);
  const changed = await bookingFromBefore(f.base);
  t.equal(await sys.holdIdOf(kept), `bk-${kept}`, "its hold id as flight-svc knows it");
  await sys.booking!.sweeper.sweepOnce();
  for (const id of [kept, changed]) {
    t.match(await sys.booking!.bookingsRepo.get(id), { status: "confirmed", holdId: `bk-${id}`, holdNonce: null });
    t.match(await holdOf(`bk-${id}`), { status: "confirmed", seats: 1 });
  }
  t.equal(await seatsOf(sys, f.base), base + 2);

  const change = await sys.bookingCall(
    "POST",
    `/api/bookings/${changed}/change`,
    { flight_ids: [f.dearer], date: DAY },
    ada.headers,
  );
  t.match(change, { status: 200, body: { change_status: "completed", flight_ids: [f.dearer] } });
  t.equal(await sys.holdIdOf(changed, 1), `bk-${changed}-c1`, "the change's hold as before the nonce");
  t.match(await holdOf(`bk-${changed}`), { status: "cancelled" }, "the old legs released from bk-<id>");
  t.match(await holdOf(`bk-${changed}-c1`), { status: "confirmed", seats: 1 });
  t.equal(await seatsOf(sys, f.base), base + 1);
  t.equal(await seatsOf(sys, f.dearer), dearer + 1);

  for (const id of [kept, changed]) {
    const r = await sys.bookingCall("PUT", `/api/bookings/${id}/cancel`, undefined, ada.headers);
    t.match(r, { status: 200, body: { status: "cancelled" } }, `booking ${id} cancelled`);
  }
  t.match(await holdOf(`bk-${kept}`), { status: "cancelled" });
  t.match(await holdOf(`bk-${changed}-c1`), { status: "cancelled" });
  t.same(
    [await seatsOf(sys, f.base), await seatsOf(sys, f.dearer), await seatsOf(sys, f.cheaper)],
    [base, dearer, cheaper],
    "every seat back",
  );
});

t.test("migration 019 leaves the hold ids of bookings and changes made before it as they were", async (t) => {
  const migration = await readFile(projectPath("booking-svc", "migrations", "019_booking_hold_nonce.sql"), "utf8");
  const undo = new Error("rolled back");
  let seen: { old: string; oldChange: string; made: string; madeChange: string } | undefined;
  await sys.bookingsSql
    .begin(async (tx) => {
      // The schema as migration 018 left it.
      await tx`ALTER TABLE bookings DROP COLUMN hold_id, DROP COLUMN hold_nonce`;
      await tx`ALTER TABLE bookings ADD COLUMN hold_id text GENERATED ALWAYS AS ('bk-' || id) STORED`;
      await tx`ALTER TABLE booking_changes DROP COLUMN hold_id, DROP COLUMN hold_nonce`;
      await tx`ALTER TABLE booking_changes ADD COLUMN hold_id text
        GENERATED ALWAYS AS ('bk-' || booking_id || '-c' || change_no) STORED`;
      const booking = () => tx<{ id: number; hold_id: string }[]>`
        INSERT INTO bookings (user_id, seats, travel_date, payment_type, total_amount, status, step, payment_id)
        VALUES (9019, 1, ${DAY}, 'credit_card', 100, 'confirmed', 'done', 'pay-9019') RETURNING id::int, hold_id`;
      const [old] = await booking();
      await tx`INSERT INTO booking_changes (booking_id, change_no, status, step, travel_date, from_flight_ids, to_legs,
          from_hold_id, from_amount, to_amount, fee, charge_amount, refund_amount)
        VALUES (${old!.id}, 1, 'completed', 'done', ${DAY}, '{1}', '[]', ${old!.hold_id}, 100, 100, 0, 0, 0)`;
      await tx.unsafe(migration);
      const [kept] = await tx<{ hold_id: string; change: string }[]>`
        SELECT b.hold_id, c.hold_id AS change FROM bookings b JOIN booking_changes c ON c.booking_id = b.id
        WHERE b.id = ${old!.id}`;
      // As booking-svc writes them now: the row with the hold's nonce, its change with a copy.
      const nonce = "0123456789abcdef";
      const [made] = await tx<{ id: number; hold_id: string }[]>`
        UPDATE bookings SET hold_nonce = ${nonce} WHERE id = ${(await booking())[0]!.id} RETURNING id::int, hold_id`;
      const [madeChange] = await tx<{ hold_id: string }[]>`
        INSERT INTO booking_changes (booking_id, change_no, status, step, travel_date, from_flight_ids, to_legs,
          from_hold_id, hold_nonce, from_amount, to_amount, fee, charge_amount, refund_amount)
        VALUES (${made!.id}, 1, 'completed', 'done', ${DAY}, '{1}', '[]', ${made!.hold_id}, ${nonce}, 100, 100, 0, 0, 0)
        RETURNING hold_id`;
      seen = { old: kept!.hold_id, oldChange: kept!.change, made: made!.hold_id, madeChange: madeChange!.hold_id };
      throw undo;
    })
    .catch((err) => {
      if (err !== undo) throw err;
    });
  const oldId = Number(seen?.old.slice("bk-".length));
  t.same(seen, {
    old: `bk-${oldId}`,
    oldChange: `bk-${oldId}-c1`,
    made: `bk-${oldId + 1}-0123456789abcdef`,
    madeChange: `bk-${oldId + 1}-0123456789abcdef-c1`,
  });
});

t.test("a key an old booking with the same id used is not replayed to a new one's cancel or change", async (t) => {
  const withKey = (key: string) => ({ ...ada.headers, "idempotency-key": key });
  const changeTo = { flight_ids: [f.dearer], date: DAY };
  await emptyBookings();
  const old = await book(sys, ada, f.base, 1);
  const changed = await sys.bookingCall("POST", `/api/bookings/${old}/change`, changeTo, withKey(`change-${old}`));
  t.match(changed, { status: 200, body: { change_status: "completed" } });
  const cancelled = await sys.bookingCall("PUT", `/api/bookings/${old}/cancel`, undefined, withKey(`cancel-${old}`));
  t.match(cancelled, { status: 200, body: { status: "cancelled" } });
  await emptyBookings();

  const again = await book(sys, ada, f.base, 1);
  t.equal(again, old, "the old booking's id, given again");
  const dearer = await seatsOf(sys, f.dearer);
  const change = await sys.bookingCall("POST", `/api/bookings/${again}/change`, changeTo, withKey(`change-${again}`));
  t.match(change, { status: 200, body: { change_status: "completed", flight_ids: [f.dearer] } });
  t.notOk(change.headers["idempotent-replayed"], "changed, not told of the old booking's change");
  t.equal(await seatsOf(sys, f.dearer), dearer + 1, "its seat on the new flight taken");

  const cancel = await sys.bookingCall("PUT", `/api/bookings/${again}/cancel`, undefined, withKey(`cancel-${again}`));
  t.match(cancel, { status: 200, body: { status: "cancelled" } });
  t.notOk(cancel.headers["idempotent-replayed"], "cancelled, not told of the old booking's cancellation");
  t.equal(await seatsOf(sys, f.dearer), dearer, "its seat given back");
  t.match(await sys.booking!.bookingsRepo.get(again), { status: "cancelled" });
});
