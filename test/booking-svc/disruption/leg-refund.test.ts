import t from "tap";
import { buildApp as buildBooking } from "../../../booking-svc/app.js";
import type { SagaHooks } from "../../../booking-svc/saga/executor.js";
import type { StreamEvent } from "../../../contracts/events/stream.js";
import { fileAuth } from "../../helpers/auth.js";
import { streamEvents } from "../../helpers/stream-events.js";
import { call, startSystem, waitFor } from "../../helpers/system.js";

// A connection that outlives its later flight's cancellation (its traveller is in the air on the
// first leg) stays confirmed, and is refunded the cancelled leg's fare once: whether the event is
// handled by two instances at once, handled again, or handled again (or swept) after a crash
// between the refund and its record.

const auth = await fileAuth();
const admin = (await auth.admin()).headers;
const service = (await auth.service()).headers;

async function bookingApp(t: { teardown: (fn: () => unknown) => void }, config: unknown, hooks?: SagaHooks) {
  const app = await buildBooking({ config: config as never, disruption: false, sweeper: false, flown: false, hooks });
  t.teardown(() => app.close());
  await app.ready();
  return app;
}

/** An instance that dies between a leg's refund and its record. */
const crashesAfterRefund = (t: { teardown: (fn: () => unknown) => void }, config: unknown) =>
  bookingApp(t, config, {
    afterLegRefund: () => {
      throw new Error("crash after the refund");
    },
  });

/** A booking on [in the air, B] for 2 seats, confirmed the day before, and B cancelled: its event. */
async function inTheAirThenCancelled(t: { teardown: (fn: () => unknown) => void }) {
  const now = Date.now();
  const at = (minutes: number) => new Date(now + minutes * 60_000).toISOString();
  const sys = await startSystem(
    t,
    [
      { source: "DEL", destination: "BOM", departure: at(-30), minutes: 120, price: 1000 },
      { source: "BOM", destination: "BLR", departure: at(300), price: 250 },
    ],
    { auth, booking: false },
  );
  const [inAir, B] = sys.flightIds as [number, number];
  const app = await bookingApp(t, sys.config);
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  const customer = (await auth.customer("user700")).headers;
  const booked = await call(
    url,
    "POST",
    "/api/bookings",
    { flight_ids: [inAir, B], seats: 2, date: at(-30).slice(0, 10) },
    customer,
  );
  const id = booked.body.booking_id as number;
  // As if booked the day before: its travellers boarded the first flight.
  await sys.bookingsSql`UPDATE bookings SET created_at = created_at - interval '1 day',
    confirmed_at = confirmed_at - interval '1 day' WHERE id = ${id}`;
  const cancelled = await sys.flightCall("PATCH", `/api/flights/${B}`, { status: "cancelled" }, admin);
  if (cancelled.status !== 200) throw new Error(`flight ${B} not cancelled: ${cancelled.status}`);
  const ev = (await waitFor(
    async () => (await streamEvents(sys.redis)).find((e) => e.type === "flight" && e.body.kind === "cancelled"),
    15_000,
  )) as StreamEvent & { type: "flight" };
  const refunds = async () => (await sys.paymentCall("GET", "/api/payments/stats", undefined, admin)).body.refunds;
  return { sys, app, url, id, B, ev, customer, refunds };
}

const read = (url: string, id: number) => call(url, "GET", `/api/bookings/${id}`, undefined, admin);

t.test("the cancelled leg of a booking in the air is refunded once, by two instances and a retry", async (t) => {
  const { sys, app, url, id, B, ev, customer, refunds } = await inTheAirThenCancelled(t);
  const other = await bookingApp(t, sys.config);
  const before = await refunds();

  const handled = await Promise.all([app, other].map((a) => a.disruption.handler.handle(ev.id, ev.body)));
  t.same(handled, [true, true], "both finished");
  t.equal(await app.disruption.handler.handle(ev.id, ev.body), true, "handled again: nothing left to do");

  const p = (await sys.paymentOf(id, service)).body;
  t.equal(p.amount, 2500);
  t.equal(p.refunded_amount, 500, "the leg's price × seats, refunded");
  const after = await refunds();
  t.equal(after.count - before.count, 1, "one refund");
  t.equal(after.amount - before.amount, 500);

  const b = (await read(url, id)).body;
  t.match(b, { status: "confirmed", cancel_reason: null, refund_id: null, total_amount: 2500 });
  t.match(b.leg_refunds, [{ flight_id: B, amount: 500, refunded: 500, refunded_at: /./ }]);
  t.equal(b.leg_refunds.length, 1);

  // The customer cannot cancel a booking in the air, so nothing more is refunded.
  t.equal((await call(url, "PUT", `/api/bookings/${id}/cancel`, undefined, customer)).status, 409);
  t.equal((await refunds()).count - before.count, 1, "still one refund");
});

t.test("a crash between the leg's refund and its record: the retry refunds nothing more", async (t) => {
  const { sys, url, id, B, ev, refunds } = await inTheAirThenCancelled(t);
  const crashing = await crashesAfterRefund(t, sys.config);
  const before = await refunds();

  await t.rejects(crashing.disruption.handler.handle(ev.id, ev.body), /crash after the refund/);
  t.equal((await sys.paymentOf(id, service)).body.refunded_amount, 500, "refunded, not recorded");
  t.match((await read(url, id)).body.leg_refunds, [{ flight_id: B, amount: 500, refunded: null, refunded_at: null }]);

  const retry = await bookingApp(t, sys.config);
  t.equal(await retry.disruption.handler.handle(ev.id, ev.body), true, "the retry finishes it");
  t.equal((await sys.paymentOf(id, service)).body.refunded_amount, 500, "refunded once");
  t.equal((await refunds()).count - before.count, 1, "one refund");
  t.match((await read(url, id)).body.leg_refunds, [{ flight_id: B, amount: 500, refunded: 500, refunded_at: /./ }]);
  t.match((await read(url, id)).body, { status: "confirmed" });
});

t.test("a flight flying again after a try that crashed: its unrecorded leg refund is still finished", async (t) => {
  const { sys, url, id, B, ev, refunds } = await inTheAirThenCancelled(t);
  const crashing = await crashesAfterRefund(t, sys.config);
  const before = await refunds();
  await t.rejects(crashing.disruption.handler.handle(ev.id, ev.body));
  // No PATCH brings a cancelled flight back; flight data loaded anew under the same ids can.
  await sys.flightsSql`UPDATE flights SET status = 'scheduled' WHERE id = ${B}`;

  const retry = await bookingApp(t, sys.config);
  t.equal(await retry.disruption.handler.handle(ev.id, ev.body), true);
  t.equal((await refunds()).count - before.count, 1, "one refund");
  t.match((await read(url, id)).body.leg_refunds, [{ flight_id: B, refunded: 500 }]);
});

t.test("a crash between the leg's refund and its record, its event gone: the sweeper finishes it", async (t) => {
  const { sys, url, id, B, ev, refunds } = await inTheAirThenCancelled(t);
  const crashing = await crashesAfterRefund(t, sys.config);
  const before = await refunds();
  await t.rejects(crashing.disruption.handler.handle(ev.id, ev.body));

  const sweeping = await bookingApp(t, sys.config);
  await sweeping.sweeper.sweepOnce();
  t.match((await read(url, id)).body.leg_refunds, [{ refunded: null }], "within its lease: left to the event");
  await sys.bookingsSql`UPDATE booking_leg_refunds SET created_at = created_at - interval '1 hour'
    WHERE booking_id = ${id}`;
  await sweeping.sweeper.sweepOnce();
  t.match((await read(url, id)).body.leg_refunds, [{ flight_id: B, refunded: 500, refunded_at: /./ }]);
  t.equal((await sys.paymentOf(id, service)).body.refunded_amount, 500, "refunded once");
  t.equal((await refunds()).count - before.count, 1, "one refund");
});
