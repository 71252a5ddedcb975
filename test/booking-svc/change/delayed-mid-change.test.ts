import t from "tap";
import type { StreamEvent } from "../../../contracts/events/stream.js";
import { startAuth } from "../../helpers/auth.js";
import { book } from "../../helpers/change-system.js";
import { flightEventIn } from "../../helpers/stream-events.js";
import { startSystem, waitFor } from "../../helpers/system.js";

// A delay of a flight a change is moving a booking onto, handled before the change swaps the
// legs, found no booking on the flight: the new connection it broke was never marked at risk
// (the swap even clears the mark), and the traveller was never told. The event now waits for a
// change running onto the flight, as a cancellation's does.

const DAY = "2030-03-01";

t.test("a delay while a change runs onto the flight marks the new connection at risk", async (t) => {
  let during: (() => Promise<unknown>) | null = null;
  const auth = await startAuth(t);
  const sys = await startSystem(
    t,
    [
      { departure: `${DAY}T06:00:00Z`, total: 10, price: 9000 },
      { departure: `${DAY}T08:00:00Z`, total: 10, price: 3000 },
      { source: "BOM", destination: "BLR", departure: `${DAY}T11:00:00Z`, total: 10, price: 3000 },
    ],
    {
      auth,
      sweeper: false,
      hooks: {
        beforeChangeAction: async (action) => {
          if (action === "release_old") await during?.();
        },
      },
    },
  );
  const [direct, first, second] = sys.flightIds as [number, number, number];
  const ada = await auth.customer("ada");
  const admin = await auth.admin();
  const id = await book(sys, ada, direct, 1);

  let handled: boolean | undefined;
  let ev: (StreamEvent & { type: "flight" }) | undefined;
  during = async () => {
    // The first leg now lands at 10:30: 30 minutes to the second, under MIN_CONNECTION_MINUTES.
    const delay = { status: "delayed", departure_time: `${DAY}T08:30:00Z`, arrival_time: `${DAY}T10:30:00Z` };
    const r = await sys.flightCall("PATCH", `/api/flights/${first}`, delay, admin.headers);
    if (r.status !== 200) throw new Error(`not delayed: ${r.status}`);
    const found = await waitFor(() => flightEventIn(sys.redis, first, "delayed"), 15_000);
    if (!found) throw new Error("no delayed event");
    const e = found as StreamEvent & { type: "flight" };
    ev = e;
    handled = await sys.booking!.disruption.handler.handle(e.id, e.body);
  };
  const changed = await sys.bookingCall(
    "POST",
    `/api/bookings/${id}/change`,
    { flight_ids: [first, second], date: DAY },
    ada.headers,
  );
  during = null;
  t.match(changed, { status: 200, body: { change_status: "completed", flight_ids: [first, second] } });
  t.equal(handled, false, "the delay waits for the change running onto its flight");

  const event = ev as StreamEvent & { type: "flight" };
  t.ok(await waitFor(() => sys.booking!.disruption.handler.handle(event.id, event.body), 15_000));
  const read = (await sys.bookingCall("GET", `/api/bookings/${id}`, undefined, ada.headers)).body;
  t.match(read, { status: "confirmed", flight_ids: [first, second], connection_at_risk: true });
});
