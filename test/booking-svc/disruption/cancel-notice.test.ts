import t from "tap";
import { EVENTS_STREAM } from "../../../contracts/events/stream.js";
import { fileAuth } from "../../helpers/auth.js";
import { streamNotices } from "../../helpers/stream-events.js";
import { startSystem } from "../../helpers/system.js";

// A customer's cancellation sent no notice: user-svc, which keeps a booking's travellers
// subscribed to its flights, never heard of it, and they kept hearing of flights they no longer
// held. The cancelling save marks a booking_cancelled notice owed and the saga sends it after,
// so a crash or Redis refusing the append leaves it to the sweeper.

const cancelNotices = (sys: { redis: import("ioredis").Redis }, bookingId: number) =>
  streamNotices(sys.redis, "booking_cancelled", bookingId);

async function noticeOwed(sys: { bookingsSql: import("postgres").Sql }, id: number): Promise<boolean | undefined> {
  const [row] = await sys.bookingsSql<
    { due: boolean }[]
  >`SELECT confirm_notice_due AS due FROM bookings WHERE id = ${id}`;
  return row?.due;
}

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
  const notices = await cancelNotices(sys, id);
  t.equal(notices.length, 1);
  t.match(notices[0], { kind: "booking_cancelled", reason: "customer", flight_ids: sys.flightIds });
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
