import t from "tap";
import { SAMPLE_FLIGHTS } from "../../../flight-svc/data/sample-flights.js";
import { keys } from "../../../flight-svc/search/keys.js";
import { fileAuth } from "../../helpers/auth.js";
import { testFlightConfig } from "../../helpers/config.js";
import { build } from "../../helpers/flight-svc.js";
import { NEW_FLIGHT, NEW_FLIGHT_CREATED } from "../../helpers/new-flight.js";
import { numbers, search } from "../../helpers/search-calls.js";
import { flightEventIn } from "../../helpers/stream-events.js";
import { waitFor } from "../../helpers/system.js";
import { TcpProxy } from "../../helpers/tcp-proxy.js";

const auth = await fileAuth();
const admin = (await auth.admin()).headers;

// A flight change committed in PostgreSQL is answered as done even when Redis then refuses the
// new schedule version: a 500 would make the client send the POST again and add the flight
// twice. Searches here see the change at once (skipping the caches while the version is
// pending) and the periodic refresh bumps the version once Redis takes it again.

t.test("POST and PATCH whose version bump Redis refuses: 201 and 200, the refresh bumps later", async (t) => {
  const { app } = await build(t, { auth, flights: SAMPLE_FLIGHTS });
  await search(app, { source: "DEL", destination: "CCU" });
  // INCR of a value that is not a number fails inside the bump's MULTI, as any Redis error would.
  await app.redis.set(keys.scheduleVersion(), "not-a-number");

  const created = await app.inject({ headers: admin, method: "POST", url: "/api/flights", payload: NEW_FLIGHT });
  t.equal(created.statusCode, 201);
  t.same(created.json(), NEW_FLIGHT_CREATED);
  t.equal(app.flightSearch.metrics().schedule_version, "pending");
  const runs = app.flightSearch.metrics().engine_runs;
  const body = await search(app, { source: "DEL", destination: "CCU" });
  t.same(numbers(body), [["AI405"], ["AI101", "6E123"]], "searchable at once");
  await search(app, { source: "DEL", destination: "CCU" });
  t.equal(app.flightSearch.metrics().engine_runs, runs + 2, "no cached search of an old version is served");

  const patched = await app.inject({
    headers: admin,
    method: "PATCH",
    url: "/api/flights/17",
    payload: { price: 3000 },
  });
  t.equal(patched.statusCode, 200);
  t.same(patched.json(), { ...NEW_FLIGHT_CREATED, price: 3000 });
  t.equal((await search(app, { source: "DEL", destination: "CCU" })).paths[1]?.total_price, 11500);

  await app.timetable.refresh().catch(() => {});
  t.equal(app.flightSearch.metrics().schedule_version, "pending", "still pending while Redis refuses");
  await app.redis.set(keys.scheduleVersion(), "1000");
  await app.timetable.refresh();
  t.equal(app.flightSearch.metrics().schedule_version, "1001", "the refresh bumped it");
  const cached = app.flightSearch.metrics();
  await search(app, { source: "DEL", destination: "CCU" });
  await search(app, { source: "DEL", destination: "CCU", sort_by: "fastest" });
  const after = app.flightSearch.metrics();
  t.same([after.engine_runs - cached.engine_runs, after.l1_hits - cached.l1_hits], [1, 1], "cached again");
  const [row] = await app.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM flights WHERE flight_number = '6E123'`;
  t.equal(row?.n, 1, "added once");
});

t.test("POST while the connection to Redis is cut: 201 for the committed flight", async (t) => {
  const base = testFlightConfig();
  const proxy = await TcpProxy.start(Number(new URL(base.redisUrl).port));
  t.teardown(() => proxy.cut());
  const { app } = await build(t, { auth, env: { REDIS_URL: proxy.via(base.redisUrl) }, flights: SAMPLE_FLIGHTS });
  t.teardown(() => proxy.restore());

  await proxy.cut();
  const created = await app.inject({ headers: admin, method: "POST", url: "/api/flights", payload: NEW_FLIGHT });
  t.equal(created.statusCode, 201);
  t.same(created.json(), NEW_FLIGHT_CREATED, "seats from the row: nothing can hold seats on a flight this new");
  t.equal(app.flightSearch.metrics().schedule_version, "pending");
  const down = await app.inject({ method: "GET", url: "/api/flights/17" });
  t.equal(down.statusCode, 503, "a read of live seats still needs Redis");

  await proxy.restore();
  const before = await app.redis.get(keys.scheduleVersion());
  await app.timetable.refresh();
  const version = app.flightSearch.metrics().schedule_version;
  t.equal(version, String(Number(before) + 1), "the refresh bumped it once Redis was back");
  const back = await app.inject({ method: "GET", url: "/api/flights/17" });
  t.same(back.json(), NEW_FLIGHT_CREATED);
  t.same(numbers(await search(app, { source: "DEL", destination: "CCU" })), [["AI405"], ["AI101", "6E123"]]);
});

t.test(
  "PATCH while the connection to Redis is cut: 200 for the committed change, its event relayed later",
  async (t) => {
    const base = testFlightConfig();
    const proxy = await TcpProxy.start(Number(new URL(base.redisUrl).port));
    t.teardown(() => proxy.cut());
    const { app } = await build(t, { auth, env: { REDIS_URL: proxy.via(base.redisUrl) }, flights: SAMPLE_FLIGHTS });
    t.teardown(() => proxy.restore());
    const flight = (await app.inject({ method: "GET", url: "/api/flights/3" })).json();

    await proxy.cut();
    const patched = await app.inject({
      headers: admin,
      method: "PATCH",
      url: "/api/flights/3",
      payload: { status: "delayed" },
    });
    // A 503 would tell the admin the change was not made; the traveller's event of it is in the outbox.
    t.equal(patched.statusCode, 200);
    t.same(patched.json(), { ...flight, status: "delayed" }, "seats from the row");

    await proxy.restore();
    const relayed = await waitFor(async () => {
      app.eventRelay.nudge();
      return flightEventIn(app.redis, 3);
    }, 5_000);
    t.match(
      relayed,
      { body: { kind: "status_changed", after: { status: "delayed" } } },
      "the event reached the stream",
    );
  },
);
