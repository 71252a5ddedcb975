import t from "tap";
import { buildApp as buildBooking } from "../../../booking-svc/app.js";
import type { SagaHooks } from "../../../booking-svc/saga/executor.js";
import type { StreamEvent } from "../../../contracts/events/stream.js";
import { within } from "../../../lib/within.js";
import { fileAuth } from "../../helpers/auth.js";
import { assignedInPostgres, departingIn } from "../../helpers/check-in.js";
import { quiesce } from "../../helpers/inventory-load.js";
import { flightEventIn, streamNotices } from "../../helpers/stream-events.js";
import { call, startSystem, waitFor } from "../../helpers/system.js";

// A cancelled flight's bookings were cancelled one after another, each with its own round trips:
// a full 400-seat flight took 8.8 s before its last traveller heard. They are now cancelled
// DISRUPTION_CONCURRENCY at a time, each under its own claim, with the same outcome; one that
// throws fails the event only once all the others have ended.

const auth = await fileAuth();
const admin = (await auth.admin()).headers;
const service = (await auth.service()).headers;
const customer = (n: number) => auth.customer(`cc${n}`);

/**
 * Counts the cancellations between their seat release and their refund. A release waits for a
 * second one to begin (at most `waitMs`, so one after another still ends): with the bookings
 * cancelled one at a time, none ever begins meanwhile.
 */
function inFlightCounter(waitMs: number) {
  const released = new Map<number, number>();
  let inFlight = 0;
  let most = 0;
  let another: () => void = () => {};
  let begun = new Promise<void>((resolve) => {
    another = resolve;
  });
  const hooks: SagaHooks = {
    beforeAction: async (action, id) => {
      if (action === "refund" && released.has(id)) inFlight--;
      if (action !== "cancel_seats") return;
      released.set(id, (released.get(id) ?? 0) + 1);
      inFlight++;
      most = Math.max(most, inFlight);
      another();
      begun = new Promise<void>((resolve) => {
        another = resolve;
      });
      if (inFlight < 2) await within(begun, waitMs, undefined);
    },
  };
  return { hooks, released, most: () => most };
}

async function bookingApp(t: { teardown: (fn: () => unknown) => void }, config: unknown, hooks: SagaHooks) {
  const app = await buildBooking({ config: config as never, disruption: false, sweeper: false, flown: false, hooks });
  t.teardown(() => app.close());
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  return { app, url };
}

/** One seat of `flightId` for each of customers 0 … n−1, booked through `url`: their booking ids. */
async function bookEach(url: string, flightId: number, n: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const made = await call(
      url,
      "POST",
      "/api/bookings",
      { flight_id: flightId, seats: 1, date: "2024-02-15" },
      (await customer(i)).headers,
    );
    ids.push(made.body.booking_id);
  }
  return ids;
}

async function cancelledEvent(sys: Parameters<typeof flightEventIn>[0], flightId: number) {
  return (await waitFor(() => flightEventIn(sys, flightId, "cancelled"), 15_000)) as StreamEvent & { type: "flight" };
}

t.test("a cancelled flight's bookings are cancelled several at a time, no more than the setting", async (t) => {
  const sys = await startSystem(t, [{ total: 20, price: 1000 }], {
    auth,
    booking: false,
    env: { DISRUPTION_CONCURRENCY: "2" },
  });
  const [A] = sys.flightIds as [number];
  const counter = inFlightCounter(3_000);
  const { app, url } = await bookingApp(t, sys.config, counter.hooks);
  const ids = await bookEach(url, A, 4);
  t.equal((await sys.flightCall("PATCH", `/api/flights/${A}`, { status: "cancelled" }, admin)).status, 200);
  const ev = await cancelledEvent(sys.redis, A);

  t.equal(await app.disruption.handler.handle(ev.id, ev.body), true, "finished");
  t.equal(counter.most(), 2, "two cancellations at once, as DISRUPTION_CONCURRENCY says");
  for (const id of ids) {
    t.match((await call(url, "GET", `/api/bookings/${id}`, undefined, admin)).body, {
      status: "cancelled",
      cancel_reason: "flight_cancelled",
    });
  }
});

t.test("a booking whose cancellation throws fails the event only once every other one has ended", async (t) => {
  const sys = await startSystem(t, [{ total: 20, price: 1000 }], { auth, booking: false });
  const [A] = sys.flightIds as [number];
  let broken = 0;
  const { app, url } = await bookingApp(t, sys.config, {
    beforeAction: (action, id) => {
      if (action === "cancel_seats" && id === broken) throw new Error("a bug in one cancellation");
    },
  });
  const ids = await bookEach(url, A, 6);
  broken = ids[0] as number;
  t.equal((await sys.flightCall("PATCH", `/api/flights/${A}`, { status: "cancelled" }, admin)).status, 200);
  const ev = await cancelledEvent(sys.redis, A);

  await t.rejects(app.disruption.handler.handle(ev.id, ev.body), /a bug in one cancellation/);
  const rows = await sys.bookingsSql<{ id: number; status: string }[]>`
    SELECT id::int, status FROM bookings WHERE id = ANY(${ids}::bigint[]) ORDER BY id`;
  t.same(
    rows.map((r) => r.status),
    ["confirmed", "cancelled", "cancelled", "cancelled", "cancelled", "cancelled"],
    "the others were cancelled, none left running",
  );
});

t.test(
  "40 bookings on a cancelled flight: each cancelled, its seats returned and refunded once, one notice each",
  async (t) => {
    const sys = await startSystem(
      t,
      [
        departingIn(3, { total: 60, price: 1000 }),
        departingIn(6, { source: "BOM", destination: "BLR", total: 30, price: 500 }),
      ],
      {
        auth,
        booking: false,
        env: { BOOKING_PENDING_DEADLINE_SECONDS: "60" },
      },
    );
    const [A, B] = sys.flightIds as [number, number];
    const [dep] = await sys.flightsSql<{ date: string }[]>`
      SELECT to_char(departure_time AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date FROM flights WHERE id = ${A}`;
    const date = dep?.date;
    const counter = inFlightCounter(0);
    // The last booking is held before its confirm: still pending when the event comes.
    let holdConfirm = false;
    let reached: () => void = () => {};
    const atConfirm = new Promise<void>((resolve) => {
      reached = resolve;
    });
    let letGo: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      letGo = resolve;
    });
    t.teardown(() => letGo());
    const { app, url } = await bookingApp(t, sys.config, {
      beforeAction: async (action, id) => {
        await counter.hooks.beforeAction?.(action, id);
        if (action === "confirm" && holdConfirm) {
          reached();
          await gate;
        }
      },
    });
    const book = async (n: number, body: object, passengers?: string[]) => {
      const extra = passengers
        ? { passengers: passengers.map((name, i) => ({ name, email: `p${i}@example.com` })) }
        : {};
      const made = await call(
        url,
        "POST",
        "/api/bookings",
        { seats: 1, date, ...body, ...extra },
        (await customer(n)).headers,
      );
      t.equal(made.body.status, "confirmed", `booking ${n}`);
      return made.body.booking_id as number;
    };
    const confirmed: number[] = [];
    for (let i = 0; i < 30; i++) confirmed.push(await book(i, { flight_id: A }));
    for (let i = 30; i < 38; i++) confirmed.push(await book(i, { flight_ids: [A, B] }));
    const checkedIn = await book(38, { flight_id: A }, ["Asha Rao"]);
    confirmed.push(checkedIn);
    t.equal(
      (await call(url, "POST", `/api/bookings/${checkedIn}/check-in`, {}, (await customer(38)).headers)).status,
      200,
    );
    t.equal(Object.keys(await assignedInPostgres(sys, A)).length, 1, "the checked-in passenger has a seat");
    const onBOnly = [await book(40, { flight_id: B }), await book(41, { flight_id: B })];
    holdConfirm = true;
    const pendingAnswer = call(
      url,
      "POST",
      "/api/bookings",
      { flight_id: A, seats: 1, date },
      (await customer(39)).headers,
    );
    await atConfirm;
    holdConfirm = false;
    const [pendingRow] = await sys.bookingsSql<{ id: number; status: string }[]>`
      SELECT id::int, status FROM bookings WHERE status = 'pending'`;
    t.equal(pendingRow?.status, "pending");
    const refundsBefore = (await sys.paymentCall("GET", "/api/payments/stats", undefined, admin)).body.refunds.count;

    t.equal((await sys.flightCall("PATCH", `/api/flights/${A}`, { status: "cancelled" }, admin)).status, 200);
    const ev = await cancelledEvent(sys.redis, A);
    t.equal(await app.disruption.handler.handle(ev.id, ev.body), false, "unfinished: a booking is still pending");

    t.ok(counter.most() > 1, "several cancellations at once");
    t.same(
      [...counter.released.keys()].sort((x, y) => x - y),
      confirmed,
      "every confirmed booking's seats released",
    );
    t.ok(
      [...counter.released.values()].every((n) => n === 1),
      "each once",
    );
    for (const id of confirmed) {
      t.match(
        (await call(url, "GET", `/api/bookings/${id}`, undefined, admin)).body,
        { status: "cancelled", cancel_reason: "flight_cancelled", refund_id: /./ },
        `booking ${id}`,
      );
      const p = (await sys.paymentOf(id, service)).body;
      t.equal(p.refunded_amount, p.amount, `booking ${id} refunded in full`);
    }
    const stats = (await sys.paymentCall("GET", "/api/payments/stats", undefined, admin)).body;
    t.equal(stats.refunds.count - refundsBefore, confirmed.length, "one refund a booking");
    const notices = await streamNotices(sys.redis, "booking_cancelled");
    t.same(
      notices.map((n) => n.booking_id).sort((x, y) => x - y),
      confirmed,
      "one notice a booking",
    );
    t.ok(notices.every((n) => n.reason === "flight_cancelled"));

    // The pending booking's confirm finds the flight cancelled: it fails, and the event is done.
    letGo();
    await pendingAnswer;
    const failed = await waitFor(async () => {
      const [row] = await sys.bookingsSql<
        { status: string }[]
      >`SELECT status FROM bookings WHERE id = ${pendingRow?.id ?? 0}`;
      return row?.status === "failed";
    }, 10_000);
    t.ok(failed, "the pending booking failed");
    t.equal(await app.disruption.handler.handle(ev.id, ev.body), true, "finished on the next try");
    const [a, b] = await quiesce(sys.flight, [A, B]);
    t.match(a, { booked: 0, ledgerBooked: 0, available: 60 }, "every seat of A back once");
    t.match(
      b,
      { booked: onBOnly.length, ledgerBooked: onBOnly.length, available: 30 - onBOnly.length },
      "B's connections' seats back once",
    );
    t.same(await assignedInPostgres(sys, A), {}, "the checked-in passenger's seat went back");
    for (const id of onBOnly) {
      t.match((await call(url, "GET", `/api/bookings/${id}`, undefined, admin)).body, { status: "confirmed" });
    }
    t.equal((await streamNotices(sys.redis, "booking_cancelled")).length, confirmed.length, "no notice twice");
  },
);
