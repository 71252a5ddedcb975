import { setTimeout as sleep } from "node:timers/promises";
import t, { type Test } from "tap";
import { IdempotencyStore } from "../../../booking-svc/idempotency.js";
import { keys } from "../../../booking-svc/keys.js";
import { changeSystem, DAY } from "../../helpers/change-system.js";

// A booking's Idempotency-Key outlives its Redis record in the booking's row (a flushed or
// restarted Redis, a key past its TTL): a retry with the same key and body must still answer what
// the first request answered (DESIGN.md invariant 4). The row's answer used to be the booking as
// it is now: after a cancellation the replay said "cancelled" with a refund id, after a change it
// gave the changed fare, and a replayed 202 that had settled answered the same once cancelled.

const { sys, auth, ada, admin, f } = await changeSystem(t);
const service = await auth.service();
const body = (over: Record<string, unknown> = {}) => ({ flight_id: f.base, seats: 2, date: DAY, ...over });
const post = (key: string, b: Record<string, unknown> = body()) =>
  sys.bookingCall("POST", "/api/bookings", b, { ...ada.headers, "idempotency-key": key });
const forget = (key: string) => sys.redis.del(keys.idempotency(IdempotencyStore.scope(ada.userId, key)));
const cancel = (id: number) => sys.bookingCall("PUT", `/api/bookings/${id}/cancel`, undefined, ada.headers);
const payments = (config: Record<string, unknown>) =>
  sys.paymentCall("PUT", "/api/payments/config", config, admin.headers);
const paymentOf = async (id: number) =>
  (await sys.bookingsSql<{ payment_id: string }[]>`SELECT payment_id FROM bookings WHERE id = ${id}`)[0]?.payment_id;

/** The answer a booking confirmed by its request gets, as a fresh booking answers it. */
const confirmed = (id: number, total: number, paymentId: unknown) => ({
  booking_id: id,
  status: "confirmed",
  total_amount: total,
  message: "Booking confirmed.",
  payment_id: paymentId,
});

const replays = async (t: Test, key: string, code: number, expected: unknown, what: string) => {
  const r = await post(key);
  t.equal(r.headers["idempotent-replayed"], "true", `${what}: replayed`);
  t.equal(r.status, code, `${what}: the first status`);
  t.same(r.body, expected, `${what}: the first body`);
};

t.test("a confirmed booking replays its confirmation after a change and a cancellation", async (t) => {
  const first = await post("k-confirmed");
  const id = first.body.booking_id as number;
  t.equal(first.status, 200);
  t.same(first.body, confirmed(id, 10000, await paymentOf(id)), "a fresh booking's answer");
  await replays(t, "k-confirmed", 200, first.body, "from Redis");

  const change = { flight_ids: [f.dearer], date: DAY };
  t.match(await sys.bookingCall("POST", `/api/bookings/${id}/change`, change, ada.headers), { status: 200 });
  await forget("k-confirmed");
  await replays(t, "k-confirmed", 200, first.body, "from the row after a change");

  t.match(await cancel(id), { status: 200, body: { status: "cancelled" } });
  await forget("k-confirmed");
  await replays(t, "k-confirmed", 200, first.body, "from the row after a cancellation");
  await replays(t, "k-confirmed", 200, first.body, "from Redis, stored by the row's replay");

  await forget("k-confirmed");
  const other = await post("k-confirmed", body({ seats: 1 }));
  t.match(other, { status: 422, body: { error: "idempotency_key_reused" } }, "another body is still refused");
});

t.test("a booking being cancelled replays its confirmation, not a 202", async (t) => {
  const first = await post("k-cancelling");
  const id = first.body.booking_id as number;
  // A cancellation that stalled between its steps (flight-svc or payment-mock did not answer).
  await sys.bookingsSql`UPDATE bookings SET step = 'cancel', cancel_reason = 'customer' WHERE id = ${id}`;
  await forget("k-cancelling");
  await replays(t, "k-cancelling", 200, first.body, "from the row");
});

t.test("a failed booking replays its failure once Redis forgot the key", async (t) => {
  await payments({ failure_rate: 1 });
  const first = await post("k-declined").finally(() => payments({ failure_rate: 0 }));
  t.match(first, { status: 402, body: { status: "failed", error: "payment_declined" } });
  await forget("k-declined");
  await replays(t, "k-declined", 402, first.body, "from the row");
});

t.test("a pending answer replays its settlement, not a later cancellation", async (t) => {
  // payment-mock does not answer in time and records nothing yet: 202.
  await payments({ timeout_rate: 1, timeout_delay_ms: 1200 });
  const first = await post("k-pending").finally(() => payments({ timeout_rate: 0, timeout_delay_ms: 200 }));
  const id = first.body.booking_id as number;
  t.match(first, { status: 202, body: { status: "pending" } });
  // The charge arrives late, once payment-mock is done with the first call: the sweeper finds it.
  await sleep(400);
  const [row] = await sys.bookingsSql<{ key: string; type: string; amount: number }[]>`
    SELECT payment_key AS key, payment_type AS type, total_amount::float8 AS amount FROM bookings WHERE id = ${id}`;
  const late = await sys.paymentCall(
    "POST",
    "/api/payments/process",
    { booking_id: id, amount: row!.amount, user_id: ada.userId, payment_type: row!.type },
    { ...service.headers, "idempotency-key": row!.key },
  );
  t.match(late, { status: 200, body: { status: "success" } });

  await forget("k-pending");
  const running = await post("k-pending");
  t.match(running, { status: 409, body: { error: "request_in_progress" } }, "its lease is live: still running");
  await sys.bookingsSql`UPDATE bookings SET lease_until = now() WHERE id = ${id}`;
  await replays(t, "k-pending", 202, first.body, "unsettled, its lease over");

  await sys.booking!.sweeper.sweepOnce();
  const settled = confirmed(id, 10000, await paymentOf(id));
  t.ok(settled.payment_id, "the sweeper confirmed it");
  t.match(await cancel(id), { status: 200, body: { status: "cancelled" } });
  await replays(t, "k-pending", 200, settled, "from Redis's 202, settled then cancelled");
  await forget("k-pending");
  await replays(t, "k-pending", 200, settled, "from the row, settled then cancelled");
});
