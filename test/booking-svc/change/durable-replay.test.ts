import t from "tap";
import { ChangeIdempotency } from "../../../booking-svc/change/change-idempotency.js";
import { keys } from "../../../booking-svc/keys.js";
import { book, changeSystem, DAY } from "../../helpers/change-system.js";

// A change's Idempotency-Key outlives its Redis record in the change's row (a flushed or
// restarted Redis, a key past its TTL): a retry with the same key and body must still answer what
// the first request answered (DESIGN.md invariant 4). The row's answer used to be built from the
// booking as it is now, so after a later change or a cancellation the replay said "completed"
// next to another change's flights, fare and status.

/** What a test does right before the change saga performs an action. */
let before: Record<string, () => Promise<unknown>> = {};
const { sys, ada, admin, f } = await changeSystem(t, {
  beforeChangeAction: async (action) => {
    await before[action]?.();
  },
});
t.beforeEach(() => {
  before = {};
});
const change = (id: number, body: unknown, key?: string) =>
  sys.bookingCall(
    "POST",
    `/api/bookings/${id}/change`,
    body,
    key ? { ...ada.headers, "idempotency-key": key } : ada.headers,
  );
const forget = async (id: number, key: string) =>
  sys.redis.del(keys.idempotency(ChangeIdempotency.scope(await sys.refOf(id), key)));

t.test("a completed change replays its own answer after later changes and a cancellation", async (t) => {
  const id = await book(sys, ada, f.base);
  const body = { flight_ids: [f.dearer], date: DAY };
  const first = await change(id, body, "k-up");
  t.match(first, { status: 200, body: { change_status: "completed", flight_ids: [f.dearer], total_amount: 14000 } });
  t.match(await change(id, { flight_ids: [f.cheaper], date: DAY }), { status: 200 });

  await forget(id, "k-up");
  const later = await change(id, body, "k-up");
  t.equal(later.headers["idempotent-replayed"], "true");
  t.equal(later.status, 200);
  t.same(later.body, first.body, "the first answer, not the booking on another change's flights");

  t.match(await sys.bookingCall("PUT", `/api/bookings/${id}/cancel`, undefined, ada.headers), { status: 200 });
  await forget(id, "k-up");
  const cancelled = await change(id, body, "k-up");
  t.equal(cancelled.status, 200);
  t.same(cancelled.body, first.body, "the first answer, not the cancelled booking");
});

t.test("a failed change replays the booking as it stood, not as a later change left it", async (t) => {
  const id = await book(sys, ada, f.base, 1);
  await sys.paymentCall("PUT", "/api/payments/config", { failure_rate: 1 }, admin.headers);
  t.teardown(() => sys.paymentCall("PUT", "/api/payments/config", { failure_rate: 0 }, admin.headers));
  const body = { flight_ids: [f.dearer], date: DAY };
  const first = await change(id, body, "k-declined");
  await sys.paymentCall("PUT", "/api/payments/config", { failure_rate: 0 }, admin.headers);
  t.match(first, { status: 402, body: { change_status: "failed", flight_ids: [f.base], total_amount: 5000 } });
  t.match(await change(id, { flight_ids: [f.cheaper], date: DAY }), { status: 200 });

  await forget(id, "k-declined");
  const again = await change(id, body, "k-declined");
  t.equal(again.status, 402);
  t.same(again.body, first.body);
});

t.test("a duplicate while the first still runs gets 409, also once Redis forgot the key", async (t) => {
  const id = await book(sys, ada, f.base, 1);
  const body = { flight_ids: [f.dearer], date: DAY };
  let duplicate: Awaited<ReturnType<typeof change>> | undefined;
  before.charge = async () => {
    await forget(id, "k-running");
    duplicate = await change(id, body, "k-running");
  };
  const first = await change(id, body, "k-running");
  t.match(first, { status: 200, body: { change_status: "completed" } });
  t.match(duplicate, { status: 409, body: { error: "request_in_progress" } }, "not the running change's 202");
  const again = await change(id, body, "k-running");
  t.equal(again.headers["idempotent-replayed"], "true");
  t.same(again.body, first.body, "the key was not taken from the first request");
});
