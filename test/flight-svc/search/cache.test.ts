import t from "tap";
import { SAMPLE_FLIGHTS } from "../../../flight-svc/data/sample-flights.js";
import { keys } from "../../../flight-svc/search/keys.js";
import { fileAuth } from "../../helpers/auth.js";
import { build } from "../../helpers/flight-svc.js";
import { numbers, search, searchUrl } from "../../helpers/search-calls.js";

const auth = await fileAuth();
const admin = (await auth.admin()).headers;
const service = (await auth.service()).headers;

const DEL_BLR = { source: "DEL", destination: "BLR" };

t.test("200 concurrent identical cold searches run the engine once and get the same answer", async (t) => {
  const { app } = await build(t, { auth, flights: SAMPLE_FLIGHTS });
  const replies = await Promise.all(
    Array.from({ length: 200 }, () => app.inject({ method: "GET", url: searchUrl(DEL_BLR) })),
  );
  t.ok(
    replies.every((r) => r.statusCode === 200),
    "all answered",
  );
  t.equal(new Set(replies.map((r) => r.body)).size, 1, "one answer");
  t.equal(replies[0]?.json().count, 6);
  const m = app.flightSearch.metrics();
  t.equal(m.engine_runs, 1);
  t.equal(m.misses, 1);
  t.equal(m.coalesced_local + m.l1_hits, 199);
  t.ok(m.seat_reads < 20, `concurrent searches shared seat reads (${m.seat_reads} for 200)`);
  const http = await app.inject({ method: "GET", url: "/api/flights/search/metrics" });
  t.match(http.json(), { searches: 200, engine_runs: 1, misses: 1, lock_timeouts: 0, schedule_flights: 16 });
});

t.test("seats filtering leaves fewer than limit of a cut candidate set: recomputed, still exact", async (t) => {
  // 200 direct flights, the 160 cheapest sold out: the cached set holds only the 150 cheapest.
  const flights = Array.from({ length: 200 }, (_, i) => ({
    flight_number: `TS${1000 + i}`,
    airline: "Test Air",
    source: "AAA",
    destination: "BBB",
    departure_time: new Date(Date.UTC(2024, 1, 15, 0, i)),
    arrival_time: new Date(Date.UTC(2024, 1, 15, 2, i)),
    total_seats: 10,
    booked_seats: i < 160 ? 10 : 0,
    price: 1000 + i,
    status: "scheduled" as const,
  }));
  const { app } = await build(t, { auth, flights });
  const body = await search(app, { source: "AAA", destination: "BBB", limit: 5 });
  t.same(numbers(body), [["TS1160"], ["TS1161"], ["TS1162"], ["TS1163"], ["TS1164"]]);
  const m = app.flightSearch.metrics();
  t.same([m.engine_runs, m.engine_reruns], [1, 1]);
  const fastest = await search(app, { source: "AAA", destination: "BBB", limit: 2, sort_by: "fastest" });
  t.same(numbers(fastest), [["TS1160"], ["TS1161"]], "equal durations: the earlier departure first");
});

t.test("two instances: concurrent cold searches compute once, the other waits on the Redis lock", async (t) => {
  const { app: a } = await build(t, { auth, flights: SAMPLE_FLIGHTS });
  const { app: b } = await build(t, { auth, reset: false });
  const replies = await Promise.all(
    [a, b].flatMap((app) => Array.from({ length: 20 }, () => app.inject({ method: "GET", url: searchUrl(DEL_BLR) }))),
  );
  t.equal(new Set(replies.map((r) => r.body)).size, 1, "one answer");
  const [ma, mb] = [a.flightSearch.metrics(), b.flightSearch.metrics()];
  t.equal(ma.schedule_version, mb.schedule_version);
  t.equal(ma.engine_runs + mb.engine_runs, 1, "one engine run in all");
  t.equal(ma.lock_timeouts + mb.lock_timeouts, 0);
  t.equal(ma.misses + mb.misses, 2, "each instance missed once");
  t.equal(ma.coalesced_remote + mb.coalesced_remote + ma.l2_hits + mb.l2_hits, 1, "and one got the other's result");
});

t.test("a second instance answers from Redis without running the engine", async (t) => {
  const { app: a } = await build(t, { auth, flights: SAMPLE_FLIGHTS });
  const { app: b } = await build(t, { auth, reset: false });
  const first = await search(a, DEL_BLR);
  const second = await search(b, DEL_BLR);
  t.same(second, first);
  t.equal(b.flightSearch.metrics().engine_runs, 0);
  t.equal(b.flightSearch.metrics().l2_hits, 1);
  await search(b, { ...DEL_BLR, sort_by: "fastest", seats: 3 });
  t.equal(b.flightSearch.metrics().l1_hits, 1, "other sorts and seats share the cached set");
  t.equal(b.flightSearch.metrics().engine_runs, 0);
});

t.test("a lock holder that never answers: the waiter computes itself after the timeout", async (t) => {
  const { app } = await build(t, { auth, flights: SAMPLE_FLIGHTS });
  const version = app.flightSearch.metrics().schedule_version;
  const resultKey = keys.searchResult(version, "DEL", "BLR", "2024-02-15", 3);
  await app.redis.set(keys.searchLock(resultKey), "someone-else", "PX", 10_000);
  const started = Date.now();
  const body = await search(app, DEL_BLR);
  t.ok(Date.now() - started >= 900, "waited for the other instance first");
  t.equal(body.count, 6);
  const m = app.flightSearch.metrics();
  t.equal(m.coalesced_remote, 1);
  t.equal(m.lock_timeouts, 1);
  t.equal(m.engine_runs, 1);
  t.ok(await app.redis.get(resultKey), "and stored its result for the others");
});

t.test("seats come live after the cache: a hold shows at once, without an engine run", async (t) => {
  const { app } = await build(t, { auth, flights: SAMPLE_FLIGHTS });
  const before = await search(app, { source: "DEL", destination: "BOM", seats: 9, max_stops: 0 });
  t.same(numbers(before), [["AI103"], ["AI101"], ["AI102"]]);
  // AI103 (id 3) has 100 free; hold 95 of them.
  const hold = await app.inject({
    headers: service,
    method: "POST",
    url: "/api/flights/holds",
    payload: { flight_ids: [3], seats: 9 },
  });
  t.equal(hold.statusCode, 201);
  for (let i = 0; i < 10; i++) {
    await app.inject({
      headers: service,
      method: "POST",
      url: "/api/flights/holds",
      payload: { flight_ids: [3], seats: 9 },
    });
  }
  const after = await search(app, { source: "DEL", destination: "BOM", seats: 9, max_stops: 0 });
  t.same(numbers(after), [["AI101"], ["AI102"]], "AI103 has 1 seat left");
  const one = await search(app, { source: "DEL", destination: "BOM", seats: 1, max_stops: 0 });
  t.same(one.paths[0]?.flights[0]?.available_seats, 1);
  t.equal(app.flightSearch.metrics().engine_runs, 1);
});

t.test(
  "after PATCH of a price the next search shows it, here and (after its refresh) on another instance",
  async (t) => {
    const { app: a } = await build(t, { auth, flights: SAMPLE_FLIGHTS });
    const { app: b } = await build(t, { auth, reset: false });
    t.same(numbers(await search(a, { source: "DEL", destination: "BOM", max_stops: 0 })), [
      ["AI103"],
      ["AI101"],
      ["AI102"],
    ]);
    t.same(numbers(await search(b, { source: "DEL", destination: "BOM", max_stops: 0 })), [
      ["AI103"],
      ["AI101"],
      ["AI102"],
    ]);
    const patch = await a.inject({
      headers: admin,
      method: "PATCH",
      url: "/api/flights/3",
      payload: { price: 9999.5 },
    });
    t.equal(patch.statusCode, 200);
    t.equal(patch.json().price, 9999.5);
    const now = await search(a, { source: "DEL", destination: "BOM", max_stops: 0 });
    t.same(numbers(now), [["AI101"], ["AI102"], ["AI103"]]);
    t.equal(now.paths[2]?.total_price, 9999.5);
    await b.timetable.refresh();
    t.equal(b.flightSearch.metrics().schedule_version, a.flightSearch.metrics().schedule_version);
    const there = await search(b, { source: "DEL", destination: "BOM", max_stops: 0 });
    t.same(there, now, "the other instance serves the new schedule too");
  },
);

t.test("Redis flushed: a new version that no instance held before", async (t) => {
  const { app } = await build(t, { auth, flights: SAMPLE_FLIGHTS });
  await search(app, DEL_BLR);
  const before = app.flightSearch.metrics().schedule_version;
  await app.redis.flushdb();
  await app.timetable.refresh();
  const after = app.flightSearch.metrics().schedule_version;
  t.not(after, before);
  t.ok(Number(after) > Number(before), "versions start from the clock, so they only grow");
  await search(app, DEL_BLR);
  t.equal(app.flightSearch.metrics().engine_runs, 2, "the old entry is not used");
});

t.test("flights deleted behind the service's back (a data reset) leave the index at the next refresh", async (t) => {
  const { app } = await build(t, { auth, flights: SAMPLE_FLIGHTS });
  t.equal((await search(app, DEL_BLR)).count, 6);
  const before = app.flightSearch.metrics().schedule_version;
  await app.sql`TRUNCATE flights, seat_ledger RESTART IDENTITY CASCADE`;
  await app.timetable.refresh();
  t.same(await search(app, DEL_BLR), { paths: [], count: 0 });
  const m = app.flightSearch.metrics();
  t.equal(m.schedule_flights, 0);
  t.not(m.schedule_version, before, "a new version: no instance reuses cached searches of the old data");
});
