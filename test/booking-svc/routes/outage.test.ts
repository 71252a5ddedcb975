import t from "tap";
import { fileAuth } from "../../helpers/auth.js";
import { testBookingConfig } from "../../helpers/config.js";
import { DisposableRedis } from "../../helpers/redis-server.js";
import { startSystem, waitFor } from "../../helpers/system.js";
import { TcpProxy } from "../../helpers/tcp-proxy.js";

// booking-svc while its own PostgreSQL or Redis is away: 503 service_unavailable with
// Retry-After at once (never 500), bookings again within a second of the return.

const BOOKING = { flight_id: 1, seats: 1, date: "2024-02-15" };
const auth = await fileAuth();
const customer = await auth.customer();

t.test("booking-svc while its PostgreSQL is away, and after", async (t) => {
  const base = testBookingConfig();
  const proxy = await TcpProxy.start(Number(new URL(base.bookingsDatabaseUrl).port));
  t.teardown(() => proxy.cut());
  const sys = await startSystem(t, [{ total: 50 }], {
    auth,
    bookingEnv: { BOOKINGS_DATABASE_URL: proxy.via(base.bookingsDatabaseUrl) },
  });
  const book = (key?: string) =>
    sys.bookingCall(
      "POST",
      "/api/bookings",
      BOOKING,
      key ? { ...customer.headers, "idempotency-key": key } : customer.headers,
    );
  t.equal((await book()).status, 200);

  await proxy.cut();
  for (const [what, call] of [
    ["a booking", () => book()],
    ["a booking with a key", () => book("outage-1")],
    ["a read", () => sys.bookingCall("GET", "/api/bookings/1", undefined, customer.headers)],
    ["a list", () => sys.bookingCall("GET", `/api/bookings?user_id=${customer.userId}`, undefined, customer.headers)],
    ["a cancellation", () => sys.bookingCall("PUT", "/api/bookings/1/cancel", undefined, customer.headers)],
  ] as const) {
    const started = performance.now();
    const r = await call();
    t.equal(r.status, 503, what);
    t.same(r.body, { error: "service_unavailable", message: "PostgreSQL is unavailable; try again shortly." });
    t.equal(r.headers["retry-after"], "2");
    t.ok(performance.now() - started < 1_000, `${what} answered at once`);
  }
  const ready = await sys.bookingCall("GET", "/ready");
  t.equal(ready.status, 503);
  t.match(ready.body, { checks: { redis: "up", postgres: "down" } });

  await proxy.restore();
  const back = performance.now();
  t.ok(await waitFor(async () => (await book()).status === 200, 5_000, 20), "books again");
  t.ok(performance.now() - back < 1_500, `within ${Math.round(performance.now() - back)} ms of the return`);
  const retried = await book("outage-1");
  t.equal(retried.status, 200, "the key of a request refused in the outage books now");
  t.notOk(retried.headers["idempotent-replayed"], "as a first attempt: the refused one stored nothing");
});

t.test("booking-svc while its Redis is away: a booking with an Idempotency-Key answers 503, not 500", async (t) => {
  const redis = await DisposableRedis.start();
  t.teardown(() => redis.stop());
  const sys = await startSystem(t, [{ total: 50 }], { auth, bookingEnv: { REDIS_URL: redis.url } });
  const book = (key: string) =>
    sys.bookingCall("POST", "/api/bookings", BOOKING, { ...customer.headers, "idempotency-key": key });
  t.equal((await book("before")).status, 200);

  await redis.stop();
  const down = await book("during");
  t.equal(down.status, 503);
  t.same(down.body, { error: "service_unavailable", message: "Redis is unavailable; try again shortly." });
  t.equal(down.headers["retry-after"], "2");

  await redis.startAgain();
  t.ok(await waitFor(async () => (await book("during")).status === 200, 5_000, 50), "books again once Redis is back");
});

t.test("PostgreSQL gone between a booking's hold and its row: the 503 gives the held seats back", async (t) => {
  const base = testBookingConfig();
  const proxy = await TcpProxy.start(Number(new URL(base.bookingsDatabaseUrl).port));
  t.teardown(() => proxy.cut());
  let cutAfterHold = false;
  const sys = await startSystem(t, [{ total: 2 }], {
    auth,
    bookingEnv: { BOOKINGS_DATABASE_URL: proxy.via(base.bookingsDatabaseUrl) },
    hooks: {
      afterHold: async () => {
        if (cutAfterHold) await proxy.cut();
      },
    },
  });
  const [f] = sys.flightIds as [number];
  const book = () =>
    sys.bookingCall("POST", "/api/bookings", { flight_id: f, seats: 2, date: "2024-02-15" }, customer.headers);

  cutAfterHold = true;
  const refused = await book();
  cutAfterHold = false;
  t.equal(refused.status, 503);
  t.same(refused.body, { error: "service_unavailable", message: "PostgreSQL is unavailable; try again shortly." });
  t.equal((await sys.flight.inventory.availableSeats([f]))[0], 2, "no booking holds the flight's seats");

  await proxy.restore();
  t.ok(await waitFor(async () => (await book()).status === 200, 5_000, 50), "the retry the 503 asks for books them");
});
