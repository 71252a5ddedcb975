import t from "tap";
import { appendedKey, type NoticeKind } from "../../../contracts/events/stream.js";
import { book, changeSystem, DAY } from "../../helpers/change-system.js";
import { streamNotices } from "../../helpers/stream-events.js";
import { waitFor } from "../../helpers/system.js";

// The events stream keeps a notice's dedupe id for its retention period, longer than bookings_db
// keeps booking ids unique: once bookings_db is restored from a backup, re-created or reset by
// hand while Redis is not, a new booking that got an old booking's id had its notices named after
// the id alone dropped as the old booking's: its traveller heard nothing of its confirmation,
// change or cancellation, and was never subscribed to its flights.

const { sys, ada, f } = await changeSystem(t);

/** bookings_db as a restore leaves it: no bookings, ids from 1 again; Redis kept. */
const emptyBookings = () => sys.bookingsSql`TRUNCATE bookings RESTART IDENTITY CASCADE`;

const flightsOf = async (kind: NoticeKind, id: number) =>
  (await streamNotices(sys.redis, kind, id)).map((n) => n.flight_ids);

/** Books, changes to the dearer flight and cancels: a confirmation, a change's and a cancellation's notice. */
async function bookChangeCancel(): Promise<number> {
  const id = await book(sys, ada, f.base, 1);
  const change = await sys.bookingCall(
    "POST",
    `/api/bookings/${id}/change`,
    { flight_ids: [f.dearer], date: DAY },
    ada.headers,
  );
  if (change.body.change_status !== "completed") throw new Error(`change: ${JSON.stringify(change.body)}`);
  const cancel = await sys.bookingCall("PUT", `/api/bookings/${id}/cancel`, undefined, ada.headers);
  if (cancel.body.status !== "cancelled") throw new Error(`cancel: ${JSON.stringify(cancel.body)}`);
  return id;
}

t.test("a booking that gets an old booking's id has its own notices", async (t) => {
  // booking-svc appends each notice after answering: the change's may come after the cancellation's.
  const sent = async (id: number, confirmed: number, cancelled: number) =>
    waitFor(
      async () =>
        (await flightsOf("booking_confirmed", id)).length === confirmed &&
        (await flightsOf("booking_cancelled", id)).length === cancelled
          ? true
          : null,
      5_000,
    );
  const old = await bookChangeCancel();
  await sent(old, 2, 1);
  t.same(await flightsOf("booking_confirmed", old), [[f.base], [f.dearer]]);
  await emptyBookings();

  const again = await bookChangeCancel();
  t.equal(again, old, "the old booking's id, given again");
  await sent(again, 4, 2);
  t.same(await flightsOf("booking_cancelled", again), [[f.dearer], [f.dearer]], "each booking's cancellation");
  t.same(
    await flightsOf("booking_confirmed", again),
    [[f.base], [f.dearer], [f.base], [f.dearer]],
    "each booking's confirmation and change",
  );
  const refs = new Set((await streamNotices(sys.redis, "booking_confirmed", again)).map((n) => n.booking_ref));
  t.equal(refs.size, 2, "told apart by their refs, for user-svc's subscriptions");
});

t.test("a booking made before the nonce keeps the dedupe ids its notices were sent under", async (t) => {
  const [row] = await sys.bookingsSql<{ id: number }[]>`
    INSERT INTO bookings (user_id, seats, travel_date, payment_type, total_amount, status, step, payment_id,
      confirmed_at, confirm_notice_due)
    VALUES (${ada.userId}, 1, ${DAY}, 'credit_card', 5000, 'confirmed', 'done', 'pay-before-019',
      now() - interval '1 minute', true)
    RETURNING id::int`;
  const id = row?.id as number;
  await sys.bookingsSql`INSERT INTO booking_legs (booking_id, leg_no, flight_id, price, travel_date)
    VALUES (${id}, 1, ${f.cheaper}, 5000, ${DAY})`;
  // Its notice as booking-svc sent it before the nonce, then owed again, as a crash before the clear leaves it.
  await sys.redis.set(appendedKey(`booking-confirmed-${id}`), "0-1");
  await sys.booking!.sweeper.sweepOnce();
  t.same(await flightsOf("booking_confirmed", id), [], "not sent again under another id");
  await sys.redis.del(appendedKey(`booking-confirmed-${id}`));
  await sys.bookingsSql`UPDATE bookings SET confirm_notice_due = true WHERE id = ${id}`;
  await sys.booking!.sweeper.sweepOnce();
  t.same(await flightsOf("booking_confirmed", id), [[f.cheaper]], "sent once its marker is gone");
  t.match(await sys.booking!.bookingsRepo.get(id), { holdId: `bk-${id}`, holdNonce: null });
});
