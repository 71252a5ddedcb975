import t from "tap";
import { appendedKey, EVENTS_STREAM } from "../../../contracts/events/stream.js";
import { book, changeSystem, DAY } from "../../helpers/change-system.js";
import { streamNotices } from "../../helpers/stream-events.js";
import { waitFor } from "../../helpers/system.js";

// A changed booking's traveller heard nothing of its new flights: the only notice that subscribes
// a traveller to a booking's flights (booking_confirmed) named the old ones, so a delay or a
// cancellation of a new flight was never pushed to them. A completed change now confirms the
// booking again on its new legs, once, owed from the swap so that a crash does not lose it.

type Sys = Awaited<ReturnType<typeof changeSystem>>["sys"];

async function confirmations(sys: Sys, bookingId: number): Promise<number[][]> {
  return (await streamNotices(sys.redis, "booking_confirmed", bookingId)).map((n) => n.flight_ids);
}

t.test("a completed change confirms the booking on its new flights, once", async (t) => {
  const { sys, ada, f } = await changeSystem(t);
  const id = await book(sys, ada, f.base);
  const r = await sys.bookingCall(
    "POST",
    `/api/bookings/${id}/change`,
    { flight_ids: [f.dearer], date: DAY },
    ada.headers,
  );
  t.equal(r.body.change_status, "completed");
  // booking-svc sends the notice and clears it after answering: a clear landing after the crash
  // set up below would undo it.
  const seen = await waitFor(async () => {
    const c = await confirmations(sys, id);
    const [row] = await sys.bookingsSql<
      { due: boolean }[]
    >`SELECT confirm_notice_due AS due FROM bookings WHERE id = ${id}`;
    return c.length === 2 && row?.due === false ? c : null;
  }, 5_000);
  t.same(seen, [[f.base], [f.dearer]], "the booking's first flights, then its new ones");
  const sweeper = (sys.booking as NonNullable<typeof sys.booking>).sweeper;
  await sweeper.sweepOnce();
  t.same(await confirmations(sys, id), [[f.base], [f.dearer]], "sent once");

  // A crash between the swap, which marked the notice owed, and its append.
  const [entry] = ((await sys.redis.xrange(EVENTS_STREAM, "-", "+")) as [string, string[]][]).filter(
    ([, fields]) => fields.join(" ").includes(`"booking_id":${id}`) && fields.join(" ").includes(`[${f.dearer}]`),
  );
  await sys.redis.xdel(EVENTS_STREAM, entry?.[0] ?? "");
  await sys.redis.del(
    appendedKey(`booking-confirmed-${(await sys.holdIdOf(id)).slice("bk-".length)}-c${r.body.change_id}`),
  );
  await sys.bookingsSql`UPDATE bookings SET confirm_notice_due = true, confirmed_at = now() - interval '1 minute'
    WHERE id = ${id}`;
  t.same(await confirmations(sys, id), [[f.base]]);
  await sweeper.sweepOnce();
  t.same(await confirmations(sys, id), [[f.base], [f.dearer]], "the sweeper sent the owed one");
});
