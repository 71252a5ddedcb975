import { setTimeout as sleep } from "node:timers/promises";
import type { FastifyInstance } from "fastify";
import t from "tap";
import type { NoticeBody } from "../../../contracts/events/stream.js";
import { eventAppender } from "../../../lib/events/append-event.js";
import { tokenFor } from "../../helpers/updates-clients.js";
import { build } from "../../helpers/user-svc.js";

// A booking's subscriptions followed only its confirmations: after a change the old flights'
// stayed, and a cancelled booking's traveller kept hearing of flights they no longer held. The
// flights a booking holds now come from its last notice; a flight it left is dropped unless
// another of the traveller's bookings holds it or the traveller subscribed to it themselves.

let seq = 0;
const notice = (
  kind: "booking_confirmed" | "booking_cancelled",
  user_id: number,
  booking_id: number,
  flight_ids: number[],
  booking_ref?: string,
): NoticeBody => ({
  user_id,
  booking_id,
  ...(booking_ref === undefined ? {} : { booking_ref }),
  kind,
  flight_ids,
  reason: kind === "booking_cancelled" ? "customer" : null,
  at: new Date().toISOString(),
});

async function setup(t: { teardown: (fn: () => unknown) => void }) {
  const { app, config } = await build(t, { flights: true });
  const append = eventAppender(app.redis, 24);
  const send = (body: NoticeBody) => append.append(`test-${seq++}`, "notice", body);
  const listOf = async (userId: number) => {
    const res = await app.inject({
      url: "/api/subscriptions",
      headers: { authorization: `Bearer ${await tokenFor(app, config, userId)}` },
    });
    return res.json().subscriptions.map((s: { flight_id: number; source: string }) => `${s.flight_id}:${s.source}`);
  };
  /** The user's subscriptions once the hub has read what was sent (they reach `want`, or 5 s pass). */
  const settled = async (userId: number, want: string[]) => {
    let got: string[] = [];
    for (const until = Date.now() + 5_000; Date.now() < until; await sleep(20)) {
      got = await listOf(userId);
      if (JSON.stringify(got) === JSON.stringify(want)) break;
    }
    return got;
  };
  return { app, config, send, settled };
}

const subscribe = async (app: FastifyInstance, token: string, flight_id: number) =>
  (
    await app.inject({
      method: "POST",
      url: "/api/subscriptions",
      headers: { authorization: `Bearer ${token}` },
      payload: { flight_id },
    })
  ).statusCode;

t.test("a change keeps the new flights only, and a cancellation ends the booking's subscriptions", async (t) => {
  const { send, settled } = await setup(t);
  await send(notice("booking_confirmed", 5, 41, [20, 21]));
  t.same(await settled(5, ["20:booking", "21:booking"]), ["20:booking", "21:booking"]);
  await send(notice("booking_confirmed", 5, 41, [21, 22]));
  t.same(await settled(5, ["21:booking", "22:booking"]), ["21:booking", "22:booking"], "after the change");
  await send(notice("booking_cancelled", 5, 41, [21, 22]));
  t.same(await settled(5, []), [], "after the cancellation");
});

t.test("a flight another booking of the traveller holds stays", async (t) => {
  const { send, settled } = await setup(t);
  await send(notice("booking_confirmed", 6, 61, [30]));
  await send(notice("booking_confirmed", 6, 62, [30, 31]));
  t.same(await settled(6, ["30:booking", "31:booking"]), ["30:booking", "31:booking"]);
  await send(notice("booking_cancelled", 6, 62, [30, 31]));
  t.same(await settled(6, ["30:booking"]), ["30:booking"], "booking 61 still holds flight 30");
  await send(notice("booking_cancelled", 6, 61, [30]));
  t.same(await settled(6, []), []);
});

t.test("a subscription the traveller made themselves outlives the booking", async (t) => {
  const { app, config, send, settled } = await setup(t);
  const token = await tokenFor(app, config, 7);
  t.equal(await subscribe(app, token, 3), 201);
  await send(notice("booking_confirmed", 7, 71, [3, 4]));
  t.same(await settled(7, ["3:user", "4:booking"]), ["3:user", "4:booking"]);
  t.equal(await subscribe(app, token, 4), 200, "already there: now the traveller's own");
  await send(notice("booking_cancelled", 7, 71, [3, 4]));
  await send(notice("booking_confirmed", 7, 72, [9]));
  t.same(await settled(7, ["3:user", "4:user", "9:booking"]), ["3:user", "4:user", "9:booking"]);
});

t.test("an older notice applied late (an instance that lags) brings nothing back", async (t) => {
  const { app } = await setup(t);
  const repo = app.subscriptions;
  const flights = async () =>
    (await app.sql<{ flight_id: string }[]>`SELECT flight_id FROM flight_subscriptions WHERE user_id = 8`).map((r) =>
      Number(r.flight_id),
    );
  const confirmed = { userId: 8, bookingId: 81, bookingRef: "81", flightIds: [40], eventId: "1000-0" };
  const cancelled = { userId: 8, bookingId: 81, bookingRef: "81", flightIds: [], eventId: "1000-1" };
  await repo.followBookings([confirmed, cancelled]);
  t.same(await flights(), [], "the last notice of the booking in a run counts");
  await repo.followBookings([confirmed]);
  t.same(await flights(), [], "the confirmation read again after the cancellation");
  await repo.followBookings([{ ...confirmed, flightIds: [41], eventId: "999-5" }]);
  t.same(await flights(), []);
});

// Instances read the stream at their own pace into one table: one that ran ahead writes a notice's
// subscriptions before another hands on the flight's earlier events.
t.test(
  "a booking's subscription counts for its flight's events after its notice; a traveller's own for all",
  async (t) => {
    const { app, config } = await setup(t);
    const repo = app.subscriptions;
    const subscribers = async (flightId: number, eventId: string) =>
      (await repo.subscribersOf(flightId, eventId)).sort((x, y) => x - y);
    await repo.add(9, 50, 10);
    await repo.followBookings([
      { userId: 8, bookingId: 82, bookingRef: "82", flightIds: [50, 51], eventId: "2000-3" },
      { userId: 9, bookingId: 91, bookingRef: "91", flightIds: [50], eventId: "2000-4" },
    ]);
    t.same(await subscribers(50, "2000-2"), [9], "before the notices: the traveller's own only");
    t.same(await subscribers(50, "1999-9"), [9], "the id's milliseconds first");
    t.same(await subscribers(50, "2000-10"), [8, 9], "its sequence as a number");
    await repo.followBookings([{ userId: 8, bookingId: 82, bookingRef: "82", flightIds: [51, 52], eventId: "2001-0" }]);
    t.same(await subscribers(51, "2000-5"), [8], "a flight the change kept counts from the first notice");
    t.same(await subscribers(52, "2000-5"), [], "one it added from the change's");
    t.same(await subscribers(52, "2001-1"), [8]);
    await repo.add(8, 51, 10);
    t.same(await subscribers(51, "2000-2"), [], "taken as the traveller's own, it still counts from its notice");
    await repo.followBookings([{ userId: 8, bookingId: 82, bookingRef: "82", flightIds: [], eventId: "2002-0" }]);
    t.same(await subscribers(51, "2002-1"), [8], "and outlives the booking");
    t.same(await subscribers(52, "2002-1"), []);
    t.same(await subscribers(52, "2001-5"), [8], "an instance behind the cancellation: held until its notice");
    t.same(await subscribers(52, "2000-5"), [], "and from the change's");
    t.same(await subscribers(50, "2000-5"), [8, 9], "a flight the change left, before the change");
    t.same(await subscribers(50, "2001-1"), [9]);
    // A notice a retention period later: no instance handles events from before the cancellation.
    const later = Date.now() + config.eventsRetentionHours * 3_600_000;
    await repo.followBookings([{ userId: 9, bookingId: 92, bookingRef: "92", flightIds: [53], eventId: `${later}-0` }]);
    const [ended] = await app.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM ended_subscriptions`;
    t.equal(ended?.n, 0, "what ended is let go with the events before it");
  },
);

// bookings_db restored from a backup, re-created or reset by hand while users_db is not gives a
// new booking an old booking's id: its notices updated the old booking's row, whose traveller was
// subscribed to the new booking's flights, and the new booking's traveller to none of them.
t.test("a booking that gets an old booking's id subscribes its own traveller", async (t) => {
  const { send, settled } = await setup(t);
  await send(notice("booking_confirmed", 5, 43, [30]));
  t.same(await settled(5, ["30:booking"]), ["30:booking"]);
  await send(notice("booking_confirmed", 6, 43, [31], "43-0123456789abcdef"));
  t.same(await settled(6, ["31:booking"]), ["31:booking"], "the new booking's traveller");
  t.same(await settled(5, ["30:booking"]), ["30:booking"], "the old booking's traveller as they were");
  await send(notice("booking_cancelled", 6, 43, [31], "43-0123456789abcdef"));
  t.same(await settled(6, []), [], "the new booking's cancellation ends its own");
  t.same(await settled(5, ["30:booking"]), ["30:booking"], "and not the old booking's");
});
