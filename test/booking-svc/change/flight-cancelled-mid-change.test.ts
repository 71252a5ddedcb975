import t from "tap";
import type { StreamEvent } from "../../../contracts/events/stream.js";
import { book, changeSystem, DAY, heldCents, netCents } from "../../helpers/change-system.js";
import { flightEventIn } from "../../helpers/stream-events.js";
import { waitFor } from "../../helpers/system.js";

// A change confirms its new legs before it swaps them onto the booking. A flight cancelled in
// between, and its event handled then, found no booking on the flight (the legs were still the
// old ones) and was settled for good: the change then completed onto the cancelled flight, and
// the booking stayed confirmed there, never cancelled nor refunded. The event now waits for a
// change running onto the flight, and cancels the booking once the change has moved it there.

const before: Record<string, () => Promise<unknown>> = {};
const { sys, ada, admin, f } = await changeSystem(t, {
  beforeChangeAction: async (action) => {
    await before[action]?.();
  },
});
const booking = sys.booking!;

async function cancelledEvent(flightId: number): Promise<StreamEvent & { type: "flight" }> {
  const found = await waitFor(() => flightEventIn(sys.redis, flightId, "cancelled"), 15_000);
  if (!found) throw new Error(`no cancelled event for flight ${flightId}`);
  return found as StreamEvent & { type: "flight" };
}

t.test("the new flight cancelled after the change confirmed it: the booking is cancelled, refunded", async (t) => {
  const id = await book(sys, ada, f.base);
  let ev: (StreamEvent & { type: "flight" }) | undefined;
  let handledMidChange: boolean | undefined;
  before.release_old = async () => {
    const r = await sys.flightCall("PATCH", `/api/flights/${f.dearer}`, { status: "cancelled" }, admin.headers);
    if (r.status !== 200) throw new Error(`flight not cancelled: ${r.status}`);
    const e = await cancelledEvent(f.dearer);
    ev = e;
    handledMidChange = await booking.disruption.handler.handle(e.id, e.body);
  };
  const changed = await sys.bookingCall(
    "POST",
    `/api/bookings/${id}/change`,
    { flight_ids: [f.dearer], date: DAY },
    ada.headers,
  );
  t.match(changed, { status: 200, body: { change_status: "completed", flight_ids: [f.dearer] } });
  t.equal(handledMidChange, false, "the event waits for the change running onto its flight");

  const event = ev as StreamEvent & { type: "flight" };
  t.ok(await waitFor(() => booking.disruption.handler.handle(event.id, event.body), 15_000), "settled on a retry");
  const read = (await sys.bookingCall("GET", `/api/bookings/${id}`, undefined, ada.headers)).body;
  t.match(read, { status: "cancelled", cancel_reason: "flight_cancelled", flight_ids: [f.dearer] });
  t.equal(await heldCents(sys), await netCents(sys, admin), "the fare and the change's charge refunded");
});
