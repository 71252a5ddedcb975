import t from "tap";
import { buildApp as buildBooking } from "../../../booking-svc/app.js";
import type { StreamEvent } from "../../../contracts/events/stream.js";
import { startAuth } from "../../helpers/auth.js";
import { streamEvents } from "../../helpers/stream-events.js";
import { call, startSystem, waitFor } from "../../helpers/system.js";

// A connection paid in miles that outlives its later flight's cancellation (its traveller is in
// the air on the first leg) gets the cancelled leg's miles back once, on its ledger entry.

const auth = await startAuth(t);
const service = await auth.service();
const admin = (await auth.admin()).headers;

t.test("paid in miles: the cancelled leg's miles come back once", async (t) => {
  const now = Date.now();
  const at = (minutes: number) => new Date(now + minutes * 60_000).toISOString();
  const sys = await startSystem(
    t,
    [
      { source: "DEL", destination: "BOM", departure: at(-30), minutes: 120, price: 701 },
      { source: "BOM", destination: "BLR", departure: at(300), price: 301 },
    ],
    { auth, booking: false, bookingEnv: { MILES_PER_UNIT: "0.5" } },
  );
  const [inAir, B] = sys.flightIds as [number, number];
  const app = await buildBooking({ config: sys.config as never, disruption: false, sweeper: false, flown: false });
  t.teardown(() => app.close());
  await app.ready();
  const url = await app.listen({ host: "127.0.0.1", port: 0 });

  const ada = await auth.customer("legmiles");
  const earned = await auth.app.inject({
    method: "POST",
    url: "/api/loyalty/earn",
    headers: service.headers,
    payload: { user_id: ada.userId, booking_id: 900_001, flight_id: 1, miles: 2_000 },
  });
  t.equal(earned.statusCode, 200);
  const balance = async () =>
    (await auth.app.inject({ url: "/api/loyalty/me", headers: ada.headers })).json().balance as number;

  const booked = await call(
    url,
    "POST",
    "/api/bookings",
    { flight_ids: [inAir, B], seats: 1, date: at(-30).slice(0, 10), payment_type: "miles" },
    ada.headers,
  );
  t.match(booked.body, { status: "confirmed", total_amount: 1002, payment_id: /^miles-\d+$/ });
  const id = booked.body.booking_id as number;
  // 1002 × 0.5 = 501 miles taken.
  t.equal(await balance(), 2_000 - 501);
  // As if booked the day before: its traveller boarded the first flight.
  await sys.bookingsSql`UPDATE bookings SET created_at = created_at - interval '1 day',
    confirmed_at = confirmed_at - interval '1 day' WHERE id = ${id}`;

  t.equal((await sys.flightCall("PATCH", `/api/flights/${B}`, { status: "cancelled" }, admin)).status, 200);
  const ev = (await waitFor(
    async () => (await streamEvents(sys.redis)).find((e) => e.type === "flight" && e.body.kind === "cancelled"),
    15_000,
  )) as StreamEvent & { type: "flight" };
  t.equal(await app.disruption.handler.handle(ev.id, ev.body), true);
  t.equal(await app.disruption.handler.handle(ev.id, ev.body), true, "handled again");

  // 301 × 0.5 = 150.5: whole miles come back.
  t.equal(await balance(), 2_000 - 501 + 150, "the leg's miles back, once");
  t.equal((await sys.paymentOf(id, service.headers)).status, 404, "no money involved");
  const b = (await call(url, "GET", `/api/bookings/${id}`, undefined, admin)).body;
  t.match(b, { status: "confirmed", total_amount: 1002 });
  t.match(b.leg_refunds, [{ flight_id: B, amount: 301, refunded: 301, refunded_at: /./ }]);
  const entries = (await auth.app.inject({ url: "/api/loyalty/me", headers: ada.headers })).json().entries as {
    kind: string;
    miles: number;
    booking_id: number;
  }[];
  t.same(
    entries.filter((e) => e.booking_id === id).map((e) => e.miles),
    [150, -501],
  );
});
