import t from "tap";
import { ChangeIdempotency } from "../../../booking-svc/change/change-idempotency.js";
import { keys } from "../../../booking-svc/keys.js";
import { book, changeSystem, DAY, FEE, heldCents, netCents, seatsOf } from "../../helpers/change-system.js";

// POST /api/bookings/:id/change end to end (real Redis, PostgreSQL, flight-svc, payment-mock,
// tokens): the fare difference plus CHANGE_FEE is charged, a cheaper change refunded, the
// booking keeps its id and records its changes, and money = payments − refunds throughout.

const { sys, ada, admin, auth, f } = await changeSystem(t);
const change = (id: number, body: unknown, headers = ada.headers) =>
  sys.bookingCall("POST", `/api/bookings/${id}/change`, body, headers);

t.test("dearer, then cheaper, then cancelled: charged, refunded, seats moved each time", async (t) => {
  const id = await book(sys, ada, f.base);
  const up = await change(id, { flight_ids: [f.dearer], date: DAY });
  t.same(up.body, {
    booking_id: id,
    change_id: up.body.change_id,
    change_status: "completed",
    status: "confirmed",
    flight_ids: [f.dearer],
    date: DAY,
    total_amount: 14000,
    fare_difference: 4000,
    fee: FEE,
    charged: 4250,
    refunded: 0,
    payment_id: up.body.payment_id,
    message: "Booking changed.",
  });
  t.equal(up.status, 200);
  t.equal(await seatsOf(sys, f.base), 0, "the old seats went back");
  t.equal(await seatsOf(sys, f.dearer), 2);
  t.equal(await netCents(sys, admin), 1_425_000, "10000 + 4250 charged");
  t.equal(await heldCents(sys), await netCents(sys, admin));

  const down = await change(id, { flight_ids: [f.cheaper], date: DAY });
  t.match(down, {
    status: 200,
    body: { change_status: "completed", total_amount: 8000, fare_difference: -6000, charged: 0, refunded: 5750 },
  });
  t.equal(await seatsOf(sys, f.dearer), 0);
  t.equal(await seatsOf(sys, f.cheaper), 2);
  t.equal(await netCents(sys, admin), 850_000, "8000 of fares and two fees");
  t.equal(await heldCents(sys), await netCents(sys, admin));

  const read = await sys.bookingCall("GET", `/api/bookings/${id}`, undefined, ada.headers);
  t.match(read.body, {
    booking_id: id,
    status: "confirmed",
    flight_ids: [f.cheaper],
    hold_id: `${await sys.holdIdOf(id)}-c2`,
    total_amount: 8000,
    changes: [
      {
        from_flight_ids: [f.base],
        to_flight_ids: [f.dearer],
        fare_difference: 4000,
        fee: FEE,
        charged: 4250,
        refunded: 0,
      },
      {
        from_flight_ids: [f.dearer],
        to_flight_ids: [f.cheaper],
        fare_difference: -6000,
        fee: FEE,
        charged: 0,
        refunded: 5750,
      },
    ],
  });
  t.ok(Date.parse(read.body.changes[0].at) > 0);

  const cancelled = await sys.bookingCall("PUT", `/api/bookings/${id}/cancel`, undefined, ada.headers);
  t.match(cancelled, { status: 200, body: { status: "cancelled" } });
  t.equal(await seatsOf(sys, f.cheaper), 0, "the changed legs' seats are the ones a cancel gives back");
  t.equal(await netCents(sys, admin), 0, "a cancellation refunds the changes' charges too");
  t.match(await change(id, { flight_ids: [f.base], date: DAY }), {
    status: 409,
    body: { error: "booking_not_changeable" },
  });
});

t.test("new legs full: 409 not_enough_seats and the booking as it was", async (t) => {
  const id = await book(sys, ada, f.base, 1);
  const before = await netCents(sys, admin);
  t.match(await change(id, { flight_ids: [f.full], date: DAY }), {
    status: 409,
    body: { error: "not_enough_seats" },
  });
  t.match((await sys.bookingCall("GET", `/api/bookings/${id}`, undefined, ada.headers)).body, {
    flight_ids: [f.base],
    changes: [],
  });
  t.equal(await netCents(sys, admin), before);
  t.equal(await seatsOf(sys, f.full), 2);
});

t.test("payment declined: 402, nothing charged, the new seats released, the old kept", async (t) => {
  const id = await book(sys, ada, f.base, 1);
  const before = { net: await netCents(sys, admin), base: await seatsOf(sys, f.base) };
  await sys.paymentCall("PUT", "/api/payments/config", { failure_rate: 1 }, admin.headers);
  t.teardown(() => sys.paymentCall("PUT", "/api/payments/config", { failure_rate: 0 }, admin.headers));
  const r = await change(id, { flight_ids: [f.dearer], date: DAY });
  await sys.paymentCall("PUT", "/api/payments/config", { failure_rate: 0 }, admin.headers);
  t.match(r, { status: 402, body: { error: "payment_declined", change_status: "failed", flight_ids: [f.base] } });
  t.equal(await netCents(sys, admin), before.net);
  t.equal(await seatsOf(sys, f.base), before.base);
  t.equal(await seatsOf(sys, f.dearer), 0);
  t.equal((await sys.flight.inventory.availableSeats([f.dearer]))[0], 10, "the new hold was released");
  t.equal(await heldCents(sys), await netCents(sys, admin));
});

t.test("the same Idempotency-Key replays the change; another body is refused", async (t) => {
  const id = await book(sys, ada, f.base, 1);
  const key = { ...ada.headers, "idempotency-key": `change-${id}` };
  const first = await change(id, { flight_ids: [f.dearer], date: DAY }, key);
  t.match(first, { status: 200, body: { change_status: "completed", charged: 2250 } });
  const net = await netCents(sys, admin);
  const again = await change(id, { flight_ids: [f.dearer], date: DAY }, key);
  t.equal(again.headers["idempotent-replayed"], "true");
  t.same(again.body, first.body);
  t.equal(await netCents(sys, admin), net, "charged once");
  await sys.redis.del(keys.idempotency(ChangeIdempotency.scope(await sys.refOf(id), `change-${id}`)));
  const durable = await change(id, { flight_ids: [f.dearer], date: DAY }, key);
  t.match(durable, { status: 200, body: { change_id: first.body.change_id } }, "the row remembers the key");
  t.match(await change(id, { flight_ids: [f.cheaper], date: DAY }, key), {
    status: 422,
    body: { error: "idempotency_key_reused" },
  });
});

t.test("refusals: another user's booking, departed legs, same flights, bad input", async (t) => {
  const id = await book(sys, ada, f.base, 1);
  const bob = await auth.customer("bob");
  t.match(await change(id, { flight_ids: [f.dearer], date: DAY }, bob.headers), {
    status: 404,
    body: { error: "booking_not_found" },
  });
  t.match(await change(id, { flight_ids: [f.base], date: DAY }), {
    status: 400,
    body: { error: "validation_error", field: "flight_ids" },
  });
  t.match(await change(id, { flight_ids: [f.dearer], date: "2030-03-02" }), {
    status: 400,
    body: { error: "validation_error", field: "date" },
  });
  t.match(await change(id, { flight_ids: [f.dearer] }), { status: 400, body: { field: "date" } });
  const [tight] = await sys.flightsSql<{ id: number }[]>`
    INSERT INTO flights (flight_number, source, destination, departure_time, arrival_time, total_seats, price)
    SELECT 'CH901', destination, 'CCU', arrival_time + interval '10 minutes', arrival_time + interval '3 hours', 10, 100
    FROM flights WHERE id = ${f.dearer} RETURNING id::int`;
  t.match(await change(id, { flight_ids: [f.dearer, tight!.id], date: DAY }), {
    status: 400,
    body: { error: "validation_error", field: "flight_ids", message: /departs 10 minutes after .* at least 45/ },
  });
  t.match(await change(id, { flight_ids: [f.departed], date: "2024-02-15" }), {
    status: 409,
    body: { error: "flight_departed", flight_id: f.departed, field: "flight_ids" },
  });
  const old = await book(sys, ada, f.departed, 1, "2024-02-15");
  t.match(await change(old, { flight_ids: [f.dearer], date: DAY }), {
    status: 409,
    body: {
      error: "flight_departed",
      message: `Flight ${f.departed} of the booking has departed; it can no longer be changed.`,
      flight_id: f.departed,
    },
  });
  t.match(
    await change(id, { flight_ids: [f.dearer], date: DAY }, admin.headers),
    {
      status: 200,
      body: { change_status: "completed" },
    },
    "an admin may change any booking",
  );
  t.equal(await heldCents(sys), await netCents(sys, admin));
});
