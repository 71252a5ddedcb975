import t from "tap";
import { appendedKey, EVENTS_STREAM } from "../../../contracts/events/stream.js";
import { fileAuth } from "../../helpers/auth.js";
import { streamNotices } from "../../helpers/stream-events.js";
import { startSystem, waitFor } from "../../helpers/system.js";

// Issue 19: a confirmed booking's notice subscribes its traveller to its flights. The saga sends
// it before the save that confirms the booking; a notice not sent by then is owed from that save,
// so neither a crash nor Redis refusing the append loses it: the sweeper sends what is still
// owed, once.

async function confirmNotices(sys: { redis: import("ioredis").Redis }, bookingId: number): Promise<number> {
  return (await streamNotices(sys.redis, "booking_confirmed", bookingId)).length;
}

async function noticeOwed(sys: { bookingsSql: import("postgres").Sql }, id: number): Promise<boolean | undefined> {
  const [row] = await sys.bookingsSql<
    { due: boolean }[]
  >`SELECT confirm_notice_due AS due FROM bookings WHERE id = ${id}`;
  return row?.due;
}

t.test("a confirmation notice a crash left unsent is sent by the sweeper, once", async (t) => {
  const auth = await fileAuth();
  const sys = await startSystem(t, [{ total: 50, price: 1000 }], { auth, sweeper: false });
  const [flight] = sys.flightIds as [number];
  const customer = await auth.customer();
  const r = await sys.bookingCall(
    "POST",
    "/api/bookings",
    { flight_id: flight, seats: 1, date: "2024-02-15" },
    customer.headers,
  );
  t.equal(r.status, 200);
  const id = r.body.booking_id as number;
  // Appended before the save that confirmed the booking, which therefore never marked it owed.
  t.equal(await confirmNotices(sys, id), 1, "sent when the booking confirmed");
  t.equal(await noticeOwed(sys, id), false, "and not owed");

  // The state a crash leaves between a save that marked the notice owed (a claimed row's saga,
  // or a notice Redis refused) and the append: owed, never appended.
  const [entryId] = (await sys.redis.xrange(EVENTS_STREAM, "-", "+")).filter(([, f]) =>
    f.join(" ").includes(`"booking_id":${id}`),
  )[0] ?? [""];
  await sys.redis.xdel(EVENTS_STREAM, entryId);
  // Its dedupe id names the booking as its hold id does: id and nonce.
  await sys.redis.del(appendedKey(`booking-confirmed-${(await sys.holdIdOf(id)).slice("bk-".length)}`));
  await sys.bookingsSql`UPDATE bookings SET confirm_notice_due = true, confirmed_at = now() - interval '1 minute'
    WHERE id = ${id}`;
  t.equal(await confirmNotices(sys, id), 0);

  const sweeper = (sys.booking as NonNullable<typeof sys.booking>).sweeper;
  await sweeper.sweepOnce();
  t.equal(await confirmNotices(sys, id), 1, "the sweeper sent it");
  await sys.bookingsSql`UPDATE bookings SET confirm_notice_due = true WHERE id = ${id}`;
  await sweeper.sweepOnce();
  t.equal(await confirmNotices(sys, id), 1, "sending it again appends nothing");
  t.equal(await noticeOwed(sys, id), false);
});

t.test("a confirmation notice Redis refused before the save is owed, and the sweeper sends it", async (t) => {
  const auth = await fileAuth();
  const sys = await startSystem(t, [{ total: 50, price: 1000 }], { auth, sweeper: false });
  const [flight] = sys.flightIds as [number];
  const customer = await auth.customer();
  // The stream's key holding a string makes every append fail (WRONGTYPE).
  t.teardown(() => sys.redis.del(EVENTS_STREAM));
  await sys.redis.del(EVENTS_STREAM);
  await sys.redis.set(EVENTS_STREAM, "not a stream");
  const r = await sys.bookingCall(
    "POST",
    "/api/bookings",
    { flight_id: flight, seats: 1, date: "2024-02-15" },
    customer.headers,
  );
  t.equal(r.status, 200, "the booking stands");
  t.equal(r.body.status, "confirmed");
  const id = r.body.booking_id as number;
  t.equal(await noticeOwed(sys, id), true, "its notice is owed");

  await sys.redis.del(EVENTS_STREAM);
  await sys.bookingsSql`UPDATE bookings SET confirmed_at = now() - interval '1 minute' WHERE id = ${id}`;
  const sweeper = (sys.booking as NonNullable<typeof sys.booking>).sweeper;
  await sweeper.sweepOnce();
  t.equal(await confirmNotices(sys, id), 1, "the sweeper sent it");
  t.equal(await noticeOwed(sys, id), false, "and it is no longer owed");
});

// A customer's cancellation sent no notice: user-svc, which keeps a booking's travellers
// subscribed to its flights, never heard of it, and they kept hearing of flights they no longer
// held. The cancelling save marks a booking_cancelled notice owed and the saga sends it after,
// so a crash or Redis refusing the append leaves it to the sweeper.

const cancelNotices = (sys: { redis: import("ioredis").Redis }, bookingId: number) =>
  streamNotices(sys.redis, "booking_cancelled", bookingId);

t.test("a customer's cancellation sends its traveller a booking_cancelled notice, once", async (t) => {
  const auth = await fileAuth();
  const sys = await startSystem(
    t,
    [
      { total: 50, price: 1000 },
      { total: 50, price: 1000, source: "BOM", destination: "BLR", departure: "2024-02-15T12:00:00Z" },
    ],
    {
      auth,
      sweeper: false,
    },
  );
  const customer = await auth.customer();
  const made = await sys.bookingCall(
    "POST",
    "/api/bookings",
    { flight_ids: sys.flightIds, seats: 1, date: "2024-02-15" },
    customer.headers,
  );
  t.equal(made.status, 200, JSON.stringify(made.body));
  const id = made.body.booking_id as number;
  const cancelled = await sys.bookingCall("PUT", `/api/bookings/${id}/cancel`, undefined, customer.headers);
  t.equal(cancelled.status, 200);
  // The saga sends the notice and clears it after its answer, so the test waits for both.
  const notices = await waitFor(async () => {
    const sent = await cancelNotices(sys, id);
    return sent.length > 0 && (await noticeOwed(sys, id)) === false ? sent : null;
  }, 5_000);
  t.equal(notices?.length, 1);
  t.match(notices?.[0], { kind: "booking_cancelled", reason: "customer", flight_ids: sys.flightIds });
  t.equal(await noticeOwed(sys, id), false, "not owed once sent");
  const again = await sys.bookingCall("PUT", `/api/bookings/${id}/cancel`, undefined, customer.headers);
  t.equal(again.status, cancelled.status, `a repeated cancel answers as before ${JSON.stringify(again.body)}`);
  t.equal((await cancelNotices(sys, id)).length, 1, "and sends nothing more");
});

t.test("a cancellation notice Redis refused is owed, and the sweeper sends it", async (t) => {
  const auth = await fileAuth();
  const sys = await startSystem(t, [{ total: 50, price: 1000 }], { auth, sweeper: false });
  const [flight] = sys.flightIds as [number];
  const customer = await auth.customer();
  const made = await sys.bookingCall(
    "POST",
    "/api/bookings",
    { flight_id: flight, seats: 1, date: "2024-02-15" },
    customer.headers,
  );
  const id = made.body.booking_id as number;
  // The stream's key holding a string makes every append fail (WRONGTYPE).
  t.teardown(() => sys.redis.del(EVENTS_STREAM));
  await sys.redis.del(EVENTS_STREAM);
  await sys.redis.set(EVENTS_STREAM, "not a stream");
  const cancelled = await sys.bookingCall("PUT", `/api/bookings/${id}/cancel`, undefined, customer.headers);
  t.equal(cancelled.status, 200, "the cancellation stands");
  t.equal(await noticeOwed(sys, id), true, "its notice is owed");

  await sys.redis.del(EVENTS_STREAM);
  await sys.bookingsSql`UPDATE bookings SET cancelled_at = now() - interval '1 minute' WHERE id = ${id}`;
  await (sys.booking as NonNullable<typeof sys.booking>).sweeper.sweepOnce();
  t.match(await cancelNotices(sys, id), [{ kind: "booking_cancelled", reason: "customer", flight_ids: [flight] }]);
  t.equal(await noticeOwed(sys, id), false);
});
