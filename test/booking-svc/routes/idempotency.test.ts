import t from "tap";
import { fileAuth } from "../../helpers/auth.js";
import { startSystem, waitFor } from "../../helpers/system.js";

// DESIGN.md invariant 4: the same Idempotency-Key and body replay the first answer (never a
// second booking or charge), another body is refused, a duplicate while the first runs is 409.
const auth = await fileAuth();
const sys = await startSystem(t, [{ total: 100, price: 1000 }], { auth });
const [F] = sys.flightIds as [number];
const [ada, bob] = [await auth.customer("ada"), await auth.customer("bob")];
const admin = (await auth.admin()).headers;
const body = (over: Record<string, unknown> = {}) => ({
  user_id: ada.userId,
  flight_id: F,
  seats: 1,
  date: "2024-02-15",
  ...over,
});
const post = (key: string | null, b: Record<string, unknown>, as = ada) =>
  sys.bookingCall("POST", "/api/bookings", b, key === null ? as.headers : { ...as.headers, "idempotency-key": key });
const count = async (key: string) =>
  (await sys.bookingsSql<{ n: number }[]>`SELECT count(*)::int AS n FROM bookings WHERE idempotency_key = ${key}`)[0]!
    .n;
const charges = async () =>
  (await sys.paymentCall("GET", "/api/payments/stats", undefined, admin)).body.success.count as number;
const setLatency = (ms: number) =>
  sys.paymentCall("PUT", "/api/payments/config", { latency_min_ms: ms, latency_max_ms: ms }, admin);

t.test("a retry with the same key and body replays the first answer", async (t) => {
  const first = await post("retry-1", body());
  t.equal(first.status, 200);
  t.notOk(first.headers["idempotent-replayed"]);
  const paid = await charges();
  const again = await post("retry-1", body());
  t.equal(again.status, 200);
  t.equal(again.headers["idempotent-replayed"], "true");
  t.same(again.body, first.body);
  t.equal(await count("retry-1"), 1);
  t.equal(await charges(), paid, "no second charge");
});

t.test("a failed answer is replayed too", async (t) => {
  const first = await post("retry-2", body({ flight_id: 999 }));
  t.equal(first.status, 400);
  const again = await post("retry-2", body({ flight_id: 999 }));
  t.equal(again.status, 400);
  t.equal(again.headers["idempotent-replayed"], "true");
  t.same(again.body, first.body);
});

t.test("the same key with another body: 422", async (t) => {
  await post("reuse-1", body());
  const other = await post("reuse-1", body({ seats: 2 }));
  t.equal(other.status, 422);
  t.match(other.body, { error: "idempotency_key_reused" });
  t.equal(await count("reuse-1"), 1);
});

t.test("a duplicate while the first is running: 409, then the replay", async (t) => {
  await setLatency(300);
  t.teardown(() => setLatency(0));
  const first = post("dup-1", body());
  await new Promise((r) => setTimeout(r, 100));
  const dup = await post("dup-1", body());
  t.equal(dup.status, 409);
  t.match(dup.body, { error: "request_in_progress" });
  t.equal((await first).status, 200);
  const after = await post("dup-1", body());
  t.equal(after.status, 200);
  t.equal(after.headers["idempotent-replayed"], "true");
});

t.test("two identical requests at the same moment: one books, the other is told to wait", async (t) => {
  await setLatency(100);
  t.teardown(() => setLatency(0));
  const paid = await charges();
  const replies = await Promise.all([post("same-moment", body()), post("same-moment", body())]);
  t.same(replies.map((r) => r.status).sort(), [200, 409]);
  t.equal(await count("same-moment"), 1);
  t.equal(await charges(), paid + 1);
});

t.test("keys belong to one user: another user's identical key books anew", async (t) => {
  const a = await post("shared-key", body());
  const b = await post("shared-key", body({ user_id: bob.userId }), bob);
  t.equal(a.status, 200);
  t.equal(b.status, 200);
  t.not(a.body.booking_id, b.body.booking_id);
  t.notOk(b.headers["idempotent-replayed"]);
});

t.test("Redis forgot the key: the bookings row still answers the retry", async (t) => {
  const first = await post("durable-1", body());
  await sys.redis.del(`idem:booking:${ada.userId}:durable-1`);
  const paid = await charges();
  const again = await post("durable-1", body());
  t.equal(again.status, 200);
  t.equal(again.headers["idempotent-replayed"], "true");
  t.same(again.body, first.body);
  t.equal(await charges(), paid);
  await sys.redis.del(`idem:booking:${ada.userId}:durable-1`);
  t.equal((await post("durable-1", body({ seats: 3 }))).status, 422, "and refuses another body");
});

t.test("the key is kept for IDEMPOTENCY_TTL_SECONDS", async (t) => {
  await post("ttl-1", body());
  const ttl = await sys.redis.ttl(`idem:booking:${ada.userId}:ttl-1`);
  t.ok(ttl > sys.config.booking.idempotencyTtlSeconds - 10 && ttl <= sys.config.booking.idempotencyTtlSeconds);
});

t.test("a replayed pending answer shows how the booking ended", async (t) => {
  await sys.paymentCall("PUT", "/api/payments/config", { timeout_rate: 1, timeout_delay_ms: 1500 }, admin);
  t.teardown(() => sys.paymentCall("PUT", "/api/payments/config", { timeout_rate: 0, timeout_delay_ms: 200 }, admin));
  const first = await post("pending-1", body());
  t.equal(first.status, 202);
  const id = first.body.booking_id;
  await sys.bookingsSql`UPDATE bookings SET lease_until = now() WHERE id = ${id}`;
  await sys.booking!.sweeper.sweepOnce();
  // The service's own sweeper round may have claimed the row first and still be settling it.
  const settled = await waitFor(async () => {
    const [row] = await sys.bookingsSql<{ status: string }[]>`SELECT status FROM bookings WHERE id = ${id}`;
    return row?.status !== "pending";
  }, 10_000);
  t.ok(settled, "a sweeper settled the booking");
  const again = await post("pending-1", body());
  t.equal(again.headers["idempotent-replayed"], "true");
  t.match(again, { status: 402, body: { booking_id: id, status: "failed", error: "payment_not_completed" } });
});

t.test("a malformed key is invalid input", async (t) => {
  const r = await post("has space", body());
  t.equal(r.status, 400);
  t.equal(r.body.field, "idempotency-key");
});
