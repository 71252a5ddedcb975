import t from "tap";
import { book, changeSystem, DAY, FEE, netCents, seatsOf } from "../../helpers/change-system.js";

// A cheaper change whose refund payment-mock refuses for good (it forgot the payment: a restart,
// POST /api/payments/reset, or its LRU) used to stay pending at its refund step for ever, the
// sweeper retrying, with the old seats released, the new ones confirmed and the booking still on
// its old flights, unusable. The change finishes; the refund not made is recorded with its reason.

/** What a test does right before the change saga performs an action. */
let before: Record<string, () => Promise<unknown>> = {};
const { sys, ada, admin, auth, f } = await changeSystem(t, {
  beforeChangeAction: async (action) => {
    await before[action]?.();
  },
});
const service = await auth.service();
const change = (id: number, body: unknown) => sys.bookingCall("POST", `/api/bookings/${id}/change`, body, ada.headers);
const read = async (id: number) => (await sys.bookingCall("GET", `/api/bookings/${id}`, undefined, ada.headers)).body;
const forget = async () =>
  t.equal((await sys.paymentCall("POST", "/api/payments/reset", undefined, admin.headers)).status, 204);
t.beforeEach(() => {
  before = {};
});
const unfinished = async () =>
  (await sys.bookingsSql<{ n: number }[]>`SELECT count(*)::int AS n FROM booking_changes WHERE step <> 'done'`)[0]?.n;

t.test("payment-mock forgot the payment: the cheaper change finishes, refunded 0 and why", async (t) => {
  const id = await book(sys, ada, f.base);
  const paid = (await read(id)).payment_id as string;
  await forget();

  const r = await change(id, { flight_ids: [f.cheaper], date: DAY });
  const message = `Booking changed, but 1750 of its refund was not made: the payment provider does not know payment ${paid}.`;
  t.same(r.body, {
    booking_id: id,
    change_id: r.body.change_id,
    change_status: "completed",
    status: "confirmed",
    flight_ids: [f.cheaper],
    date: DAY,
    total_amount: 8000,
    fare_difference: -2000,
    fee: FEE,
    charged: 0,
    refunded: 0,
    not_refunded: 1750,
    message,
  });
  t.equal(r.status, 200);
  t.equal(await unfinished(), 0, "nothing left for the sweeper");
  t.equal(await seatsOf(sys, f.base), 0, "the old seats went back");
  t.equal(await seatsOf(sys, f.cheaper), 2);
  t.equal(await netCents(sys, admin), 0, "no money moved");

  const got = await read(id);
  t.match(got, {
    status: "confirmed",
    flight_ids: [f.cheaper],
    hold_id: `${await sys.holdIdOf(id)}-c1`,
    total_amount: 8000,
  });
  t.same(got.changes, [
    {
      at: got.changes[0].at,
      from_flight_ids: [f.base],
      to_flight_ids: [f.cheaper],
      fare_difference: -2000,
      fee: FEE,
      charged: 0,
      refunded: 0,
      not_refunded: 1750,
      message: `1750 of its refund was not made: the payment provider does not know payment ${paid}.`,
    },
  ]);

  t.match(await change(id, { flight_ids: [f.dearer], date: DAY }), {
    status: 200,
    body: { change_status: "completed", flight_ids: [f.dearer], charged: 6000 + FEE },
  });
  t.match(await sys.bookingCall("PUT", `/api/bookings/${id}/cancel`, undefined, ada.headers), {
    status: 200,
    body: {
      status: "cancelled",
      message: `Booking cancelled; the seats were released, but the payment was not refunded: the payment provider does not know payment ${paid}.`,
    },
  });
  t.equal(await seatsOf(sys, f.dearer), 0, "and it can be cancelled, its seats given back");
  t.equal(await netCents(sys, admin), 0, "the dearer change's charge, which payment-mock knows, was refunded");
});

t.test("part of the refund from a payment it knows: that part refunded, the rest recorded", async (t) => {
  const id = await book(sys, ada, f.base);
  const first = (await read(id)).payment_id as string;
  await forget();
  const up = await change(id, { flight_ids: [f.dearer], date: DAY });
  t.match(up, { status: 200, body: { change_status: "completed", charged: 4000 + FEE } });

  // 14000 → 8000 with the fee: 5750 back, 4250 from the dearer change's charge, 1500 from the first.
  const down = await change(id, { flight_ids: [f.cheaper], date: DAY });
  t.match(down, {
    status: 200,
    body: {
      change_status: "completed",
      flight_ids: [f.cheaper],
      total_amount: 8000,
      refunded: 4000 + FEE,
      not_refunded: 1500,
      message: `Booking changed, but 1500 of its refund was not made: the payment provider does not know payment ${first}.`,
    },
  });
  t.equal(await netCents(sys, admin), 0, "the change's charge came back, nothing else moved");
  t.match((await read(id)).changes, [
    { refunded: 0, charged: 4000 + FEE },
    { refunded: 4000 + FEE, not_refunded: 1500 },
  ]);
  t.equal(await unfinished(), 0);
});

t.test("a failed change whose charge payment-mock forgot: failed, and the charge said kept", async (t) => {
  const id = await book(sys, ada, f.base);
  let charge = "";
  before = {
    // The new hold goes (as if its TTL ran out) and payment-mock forgets the change's charge.
    confirm_new: async () => {
      const released = await sys.flightCall(
        "DELETE",
        `/api/flights/holds/${await sys.holdIdOf(id, 1)}`,
        undefined,
        service.headers,
      );
      t.equal(released.status, 200);
      const [c] = await sys.bookingsSql<{ payment_id: string }[]>`
        SELECT payment_id FROM booking_changes WHERE booking_id = ${id}`;
      charge = String(c?.payment_id);
      await forget();
    },
  };
  const r = await change(id, { flight_ids: [f.dearer], date: DAY });
  t.equal(r.status, 409);
  t.same(r.body, {
    booking_id: id,
    change_id: r.body.change_id,
    change_status: "failed",
    status: "confirmed",
    flight_ids: [f.base],
    date: DAY,
    total_amount: 10000,
    fare_difference: 4000,
    fee: FEE,
    charged: 4000 + FEE,
    refunded: 0,
    not_refunded: 4000 + FEE,
    payment_id: charge,
    message:
      "The new flights' seats were released before the change completed; the booking was not changed. " +
      `The charge of ${4000 + FEE} was not refunded: the payment provider does not know payment ${charge}.`,
    error: "hold_expired",
  });
  t.equal(await unfinished(), 0);
  t.equal(await seatsOf(sys, f.base), 2, "the booking keeps its seats");
  t.match(await read(id), { flight_ids: [f.base], changes: [] });
});
