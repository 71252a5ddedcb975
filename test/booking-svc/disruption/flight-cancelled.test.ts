import type { FastifyInstance } from "fastify";
import t from "tap";
import { buildApp as buildBooking } from "../../../booking-svc/app.js";
import { EVENTS_STREAM, type NoticeKind, type StreamEvent } from "../../../contracts/events/stream.js";
import { fileAuth } from "../../helpers/auth.js";
import { streamEvents, streamNotices } from "../../helpers/stream-events.js";
import { call, startSystem, waitFor } from "../../helpers/system.js";

// Issue 19: a cancelled flight cancels and refunds every confirmed booking with a leg on it,
// exactly once, with reason flight_cancelled, even with two booking-svc instances on it; a delay
// that breaks a connection marks the booking connection_at_risk. Both notify the traveller.

const events = (sys: { redis: import("ioredis").Redis }) => streamEvents(sys.redis);
const notices = (sys: { redis: import("ioredis").Redis }, kind: NoticeKind) => streamNotices(sys.redis, kind);

async function twoBookingInstances(t: { teardown: (fn: () => unknown) => void }, config: unknown, consume: boolean) {
  const apps: FastifyInstance[] = [];
  for (let i = 0; i < 2; i++) {
    const app = await buildBooking({ config: config as never, disruption: consume });
    t.teardown(() => app.close());
    await app.ready();
    apps.push(app);
  }
  const url = await (apps[0] as FastifyInstance).listen({ host: "127.0.0.1", port: 0 });
  return { apps: apps as [FastifyInstance, FastifyInstance], url };
}

const auth = await fileAuth();
const admin = (await auth.admin()).headers;
const service = (await auth.service()).headers;
/** Customer n's account (user_id not n: user-svc numbers accounts itself). */
const customerNo = (n: number) => auth.customer(`user${n}`);
/** How the operator reads any booking. */
const read = (url: string, id: number) => call(url, "GET", `/api/bookings/${id}`, undefined, admin);

t.test("two instances handling one cancellation at once cancel and refund each booking once", async (t) => {
  const sys = await startSystem(
    t,
    [
      { total: 50, price: 1000 },
      { source: "BOM", destination: "BLR", departure: "2024-02-15T11:00:00Z", total: 50, price: 500 },
      { total: 50, price: 700 },
    ],
    { auth, booking: false },
  );
  const [A, B, C] = sys.flightIds as [number, number, number];
  const { apps, url } = await twoBookingInstances(t, sys.config, false);
  const book = async (user: number, body: object) =>
    call(url, "POST", "/api/bookings", { seats: 1, date: "2024-02-15", ...body }, (await customerNo(user)).headers);
  const onA: number[] = [];
  for (let i = 0; i < 6; i++) onA.push((await book(100 + i, { flight_id: A })).body.booking_id);
  onA.push((await book(200, { flight_ids: [A, B] })).body.booking_id);
  const other = (await book(300, { flight_id: C })).body.booking_id;
  const customer = (await book(301, { flight_id: A })).body.booking_id;
  t.equal(
    (await call(url, "PUT", `/api/bookings/${customer}/cancel`, undefined, (await customerNo(301)).headers)).status,
    200,
  );
  const refundsBefore = (await sys.paymentCall("GET", "/api/payments/stats", undefined, admin)).body.refunds.count;

  t.equal((await sys.flightCall("PATCH", `/api/flights/${A}`, { status: "cancelled" }, admin)).status, 200);
  const cancelled = await waitFor(async () => {
    const found = (await events(sys)).find((e) => e.type === "flight" && e.body.kind === "cancelled");
    return found;
  }, 15_000);
  t.ok(cancelled, "the cancellation is in the stream");
  const ev = cancelled as StreamEvent & { type: "flight" };
  // Each may find bookings the other is cancelling: it leaves the event unfinished, to retry.
  await Promise.all(apps.map((app) => app.disruption.handler.handle(ev.id, ev.body)));
  t.ok(await waitFor(() => apps[1].disruption.handler.handle(ev.id, ev.body), 15_000), "finished on a retry");

  for (const id of onA) {
    const b = (await read(url, id)).body;
    t.match(b, { status: "cancelled", cancel_reason: "flight_cancelled", refund_id: /./ }, `booking ${id}`);
  }
  t.match((await read(url, customer)).body, { cancel_reason: "customer" });
  t.match((await read(url, other)).body, { status: "confirmed", cancel_reason: null });
  const stats = (await sys.paymentCall("GET", "/api/payments/stats", undefined, admin)).body;
  t.equal(stats.refunds.count - refundsBefore, onA.length, "one refund per booking");
  for (const id of onA) {
    const p = (await sys.paymentOf(id, service)).body;
    t.equal(p.refunded_amount, p.amount, `booking ${id} refunded in full, once`);
  }
  // The booking its customer cancelled before has its own notice, with its own reason; booking-svc
  // sends that one after the cancel's answer, so the test waits for it.
  const all =
    (await waitFor(async () => {
      const found = await notices(sys, "booking_cancelled");
      return found.some((n) => n.booking_id === customer) ? found : null;
    }, 5_000)) ?? [];
  t.same(
    all.filter((n) => n.booking_id === customer).map((n) => n.reason),
    ["customer"],
  );
  const sent = all.filter((n) => n.booking_id !== customer);
  t.same(
    sent.map((n) => n.booking_id).sort((x, y) => x - y),
    onA,
    "one notice per booking",
  );
  t.ok(sent.every((n) => n.reason === "flight_cancelled"));
  t.same(sent.find((n) => n.booking_id === onA.at(-1))?.flight_ids, [A, B]);

  const [booked] = await sys.flightsSql<{ booked_seats: number }[]>`SELECT booked_seats FROM flights WHERE id = ${B}`;
  t.equal(booked?.booked_seats, 0, "the other leg's seat came back");
});

t.test(
  "the consumer group cancels a cancelled flight's bookings by itself; a delay puts a connection at risk",
  async (t) => {
    const sys = await startSystem(
      t,
      [
        { total: 50, price: 1000 },
        { source: "BOM", destination: "BLR", departure: "2024-02-15T11:00:00Z", total: 50, price: 500 },
        { source: "BOM", destination: "BLR", departure: "2024-02-15T13:00:00Z", total: 50, price: 500 },
      ],
      { auth, booking: false, env: { DISRUPTION_RETRY_MS: "300" } },
    );
    const [A, B, C] = sys.flightIds as [number, number, number];
    const { url } = await twoBookingInstances(t, sys.config, true);
    const book = async (user: number, body: object) =>
      call(url, "POST", "/api/bookings", { seats: 1, date: "2024-02-15", ...body }, (await customerNo(user)).headers);
    const tight = (await book(1, { flight_ids: [A, B] })).body.booking_id;
    const loose = (await book(2, { flight_ids: [A, C] })).body.booking_id;
    const direct = (await book(3, { flight_id: B })).body.booking_id;
    const confirmedNotices = await waitFor(async () => (await notices(sys, "booking_confirmed")).length === 3, 15_000);
    t.ok(confirmedNotices, "each confirmation is announced, for the traveller's subscriptions");

    // A lands 30 minutes later: 30 minutes to B (under 45), 2½ hours to C.
    await sys.flightCall(
      "PATCH",
      `/api/flights/${A}`,
      { status: "delayed", departure_time: "2024-02-15T08:30:00Z", arrival_time: "2024-02-15T10:30:00Z" },
      admin,
    );
    await waitFor(async () => (await read(url, tight)).body.connection_at_risk, 15_000);
    t.match((await read(url, tight)).body, { status: "confirmed", connection_at_risk: true });
    t.match((await read(url, loose)).body, { connection_at_risk: false });
    const risk = await notices(sys, "connection_at_risk");
    t.same(
      risk.map((n) => [n.booking_id, n.user_id]),
      [[tight, (await customerNo(1)).userId]],
    );

    await sys.flightCall("PATCH", `/api/flights/${B}`, { status: "cancelled" }, admin);
    const done = await waitFor(async () => {
      const b = (await read(url, direct)).body;
      const c = (await read(url, tight)).body;
      return b.status === "cancelled" && c.status === "cancelled";
    }, 20_000);
    t.ok(done, "both bookings on B were cancelled");
    t.match((await read(url, loose)).body, { status: "confirmed" });
    t.equal((await sys.paymentCall("GET", "/api/payments/stats", undefined, admin)).body.refunds.count, 2);
    // The consumer acknowledges an event after the work it caused, so the last ack may trail the
    // cancellation a client already sees.
    const pending = () =>
      sys.redis.xpending(EVENTS_STREAM, "booking-disruption").then((p) => (p as [number, ...unknown[]])[0]);
    t.ok(await waitFor(async () => (await pending()) === 0, 10_000), "every event was acknowledged");
  },
);

t.test(
  "flight-svc away while a cancelled flight's booking is cancelled: the next try of the event finishes it",
  async (t) => {
    // A lease far longer than the test: only the retry interval lets the next try claim the booking.
    const sys = await startSystem(t, [{ total: 50, price: 1000 }], {
      auth,
      booking: false,
      env: { BOOKING_PENDING_DEADLINE_SECONDS: "60" },
    });
    const [A] = sys.flightIds as [number];
    const { apps, url } = await twoBookingInstances(t, sys.config, false);
    const user = await customerNo(400);
    const id = (await call(url, "POST", "/api/bookings", { flight_id: A, seats: 1, date: "2024-02-15" }, user.headers))
      .body.booking_id as number;
    t.equal((await sys.flightCall("PATCH", `/api/flights/${A}`, { status: "cancelled" }, admin)).status, 200);
    const ev = (await waitFor(
      async () => (await events(sys)).find((e) => e.type === "flight" && e.body.kind === "cancelled"),
      15_000,
    )) as StreamEvent & { type: "flight" };

    await sys.stopFlight();
    t.equal(await apps[0].disruption.handler.handle(ev.id, ev.body), false, "unfinished: its seats were not released");
    t.match((await read(url, id)).body, { status: "confirmed", cancel_reason: "flight_cancelled" });
    await sys.startFlight();
    t.ok(await waitFor(() => apps[0].disruption.handler.handle(ev.id, ev.body), 10_000), "finished on a retry");
    t.match((await read(url, id)).body, { status: "cancelled", cancel_reason: "flight_cancelled", refund_id: /./ });
  },
);

// A cancelled flight stays cancelled (PATCH refuses to change its status), but flight-svc's data
// may be loaded anew under the same ids (the demo data): its word then outweighs an old event's.
t.test("a cancellation handled after flight-svc stopped reporting the flight cancelled cancels nothing", async (t) => {
  const sys = await startSystem(t, [{ total: 50, price: 1000 }], { auth, booking: false });
  const [A] = sys.flightIds as [number];
  const { apps, url } = await twoBookingInstances(t, sys.config, false);
  const booked = await call(
    url,
    "POST",
    "/api/bookings",
    { flight_id: A, seats: 1, date: "2024-02-15" },
    (await customerNo(500)).headers,
  );
  const id = booked.body.booking_id as number;
  t.equal((await sys.flightCall("PATCH", `/api/flights/${A}`, { status: "cancelled" }, admin)).status, 200);
  const ev = (await waitFor(
    async () => (await events(sys)).find((e) => e.type === "flight" && e.body.kind === "cancelled"),
    15_000,
  )) as StreamEvent & { type: "flight" };
  t.equal((await sys.flightCall("PATCH", `/api/flights/${A}`, { status: "scheduled" }, admin)).status, 409);
  await sys.flightsSql`UPDATE flights SET status = 'scheduled' WHERE id = ${A}`;

  t.equal(await apps[0].disruption.handler.handle(ev.id, ev.body), true, "finished");
  t.match((await read(url, id)).body, { status: "confirmed", cancel_reason: null });
  t.same(await notices(sys, "booking_cancelled"), []);
});
t.test("a cancelled flight that a booking has flown leaves it as it is, and the event is finished", async (t) => {
  const sys = await startSystem(t, [{ total: 50, price: 1000 }], { auth, booking: false });
  const [A] = sys.flightIds as [number];
  const { apps, url } = await twoBookingInstances(t, sys.config, false);
  const user = await customerNo(500);
  const id = (await call(url, "POST", "/api/bookings", { flight_id: A, seats: 1, date: "2024-02-15" }, user.headers))
    .body.booking_id as number;
  // As the flown job marks a booking once its flight has arrived.
  await sys.bookingsSql`UPDATE bookings SET flown_at = now() WHERE id = ${id}`;
  const refundsBefore = (await sys.paymentCall("GET", "/api/payments/stats", undefined, admin)).body.refunds.count;

  t.equal((await sys.flightCall("PATCH", `/api/flights/${A}`, { status: "cancelled" }, admin)).status, 200);
  const ev = (await waitFor(
    async () => (await events(sys)).find((e) => e.type === "flight" && e.body.kind === "cancelled"),
    15_000,
  )) as StreamEvent & { type: "flight" };

  t.equal(await apps[0].disruption.handler.handle(ev.id, ev.body), true, "finished: there is nothing to retry");
  t.match((await read(url, id)).body, { status: "confirmed", cancel_reason: null, refund_id: null });
  t.equal((await sys.paymentCall("GET", "/api/payments/stats", undefined, admin)).body.refunds.count, refundsBefore);
  t.same(await notices(sys, "booking_cancelled"), [], "no notice of a cancellation that did not happen");
});

t.test(
  "a later leg's flight cancelled while the first is in the air: the booking is kept, its leg refunded, and flown once it lands",
  async (t) => {
    const now = Date.now();
    const at = (minutes: number) => new Date(now + minutes * 60_000).toISOString();
    // Left 30 minutes ago, lands in 90; the other first leg leaves in an hour; both connect to B.
    const sys = await startSystem(
      t,
      [
        { source: "DEL", destination: "BOM", departure: at(-30), minutes: 120, price: 1000 },
        { source: "DEL", destination: "BOM", departure: at(60), minutes: 120, price: 1000 },
        { source: "BOM", destination: "BLR", departure: at(300), price: 500 },
      ],
      { auth, booking: false },
    );
    const [inAir, later, B] = sys.flightIds as [number, number, number];
    const { apps, url } = await twoBookingInstances(t, sys.config, false);
    const book = async (user: number, first: number, departure: string) =>
      (
        await call(
          url,
          "POST",
          "/api/bookings",
          { flight_ids: [first, B], seats: 1, date: departure.slice(0, 10) },
          (
            await customerNo(user)
          ).headers,
        )
      ).body.booking_id as number;
    const flying = await book(600, inAir, at(-30));
    const waiting = await book(601, later, at(60));
    // As if booked the day before: its traveller boarded the first flight. Booked now, in the
    // half hour after midnight UTC, the flight that left 30 minutes ago left yesterday: the booking
    // was made after its travel date and its legs written as never flown, which a booking of the
    // day before is not.
    await sys.bookingsSql`UPDATE bookings SET created_at = created_at - interval '1 day',
      confirmed_at = confirmed_at - interval '1 day' WHERE id = ${flying}`;
    await sys.bookingsSql`UPDATE booking_legs SET never_flown_at = NULL WHERE booking_id = ${flying}`;
    const refundsBefore = (await sys.paymentCall("GET", "/api/payments/stats", undefined, admin)).body.refunds.count;

    t.equal((await sys.flightCall("PATCH", `/api/flights/${B}`, { status: "cancelled" }, admin)).status, 200);
    const ev = (await waitFor(
      async () => (await events(sys)).find((e) => e.type === "flight" && e.body.kind === "cancelled"),
      15_000,
    )) as StreamEvent & { type: "flight" };

    t.equal(await apps[0].disruption.handler.handle(ev.id, ev.body), true, "finished: nothing left to retry");
    t.match((await read(url, flying)).body, { status: "confirmed", cancel_reason: null, refund_id: null });
    t.match((await read(url, waiting)).body, {
      status: "cancelled",
      cancel_reason: "flight_cancelled",
      refund_id: /./,
    });
    const p = (await sys.paymentOf(waiting, service)).body;
    t.equal(p.refunded_amount, p.amount, "the booking not yet departed is refunded in full");
    t.equal(
      (await sys.paymentCall("GET", "/api/payments/stats", undefined, admin)).body.refunds.count - refundsBefore,
      2,
      "the booking in the air is refunded its cancelled leg alone",
    );
    t.equal((await sys.paymentOf(flying, service)).body.refunded_amount, 500, "the cancelled leg's fare");
    t.same(
      (await notices(sys, "booking_cancelled")).map((n) => n.booking_id),
      [waiting],
    );

    // Once the first flight has landed, the flown job marks the kept booking flown, as any other.
    const landed = new Date(now + 100 * 60_000);
    const job = await buildBooking({
      config: sys.config as never,
      sweeper: false,
      disruption: false,
      flown: false,
      flownClock: () => landed,
    });
    t.teardown(() => job.close());
    await job.ready();
    t.match(await job.flownJob.runOnce(), { flown: 1 });
    const legs = await sys.bookingsSql<{ flight_id: string; flown_at: Date | null }[]>`
      SELECT flight_id, flown_at FROM booking_legs WHERE booking_id = ${flying} ORDER BY leg_no`;
    t.match(legs, [
      { flight_id: String(inAir), flown_at: Date },
      { flight_id: String(B), flown_at: null },
    ]);
  },
);
