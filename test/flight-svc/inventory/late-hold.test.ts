import t from "tap";
import { keys } from "../../../flight-svc/inventory/keys.js";
import type { Sql } from "../../../lib/postgres-plugin.js";
import { fileAuth } from "../../helpers/auth.js";
import { build, seedFlights } from "../../helpers/flight-svc.js";
import { lockFlights, waitForLockWaiter } from "../../helpers/pg-lock.js";

const auth = await fileAuth();
const service = (await auth.service()).headers;

// A release that arrives before its hold (the hold's request stalled in flight-svc past the
// caller's deadline) marks the id released: the hold, landing late, is refused. The caller is
// booking-svc, holding under its reserved bk- ids.

t.test("a hold released before it landed is refused when it lands", async (t) => {
  const { app } = await build(t, { auth });
  const [a] = await seedFlights(app.sql, [{ total: 10 }]);
  const del = await app.inject({ headers: service, method: "DELETE", url: "/api/flights/holds/bk-7" });
  t.equal(del.statusCode, 404, "nothing was held under the id");
  t.same(del.json(), { error: "hold_not_found", message: "The hold was not found.", hold_id: "bk-7" });
  const pttl = await app.redis.pttl(keys.hold("bk-7"));
  t.ok(pttl > 1_790_000 && pttl <= 1_800_000, `the mark lives as long as the longest hold (${pttl} ms)`);

  const late = await app.inject({
    headers: service,
    method: "POST",
    url: "/api/flights/holds",
    payload: { flight_ids: [a], seats: 3, hold_id: "bk-7" },
  });
  t.equal(late.statusCode, 409);
  t.same(late.json(), { error: "hold_released", message: "The hold was released.", hold_id: "bk-7" });
  t.same(await app.inventory.availableSeats([a!]), [10], "no seat taken");
  t.equal(await app.redis.hlen(keys.flightHolds(a!)), 0);

  const confirm = await app.inject({ headers: service, method: "POST", url: "/api/flights/holds/bk-7/confirm" });
  t.equal(confirm.statusCode, 404, "a confirm after the release is refused too: no hold, as GET and DELETE say");
  t.match(confirm.json(), { error: "hold_not_found" });
  const again = await app.inject({ headers: service, method: "DELETE", url: "/api/flights/holds/bk-7" });
  t.equal(again.statusCode, 404, "a repeated release changes nothing");
  t.equal((await app.inject({ headers: service, method: "GET", url: "/api/flights/holds/bk-7" })).statusCode, 404);
});

t.test("a hold stalled in PostgreSQL past its caller's release does not keep the seats", async (t) => {
  const { app, config } = await build(t, { auth });
  const [a] = await seedFlights(app.sql, [{ total: 10 }]);
  const lock = await lockFlights(config.flightsDatabaseUrl);
  t.teardown(() => lock.release());

  // The hold reads the flight before it holds: with the table locked, it waits.
  const hold = app.inject({
    headers: service,
    method: "POST",
    url: "/api/flights/holds",
    payload: { flight_ids: [a], seats: 4, hold_id: "bk-8" },
  });
  await waitForLockWaiter(app.sql as Sql);
  // The caller gave up on it and released what it may have held.
  const del = await app.inject({ headers: service, method: "DELETE", url: "/api/flights/holds/bk-8" });
  t.equal(del.statusCode, 404);

  await lock.release();
  const landed = await hold;
  t.equal(landed.statusCode, 409, "the hold landed after its release and was refused");
  t.match(landed.json(), { error: "hold_released", hold_id: "bk-8" });
  t.same(await app.inventory.availableSeats([a!]), [10]);
  t.equal(await app.redis.hlen(keys.flightHolds(a!)), 0);
  t.equal(await app.redis.zscore(keys.holdExpiries("bk-8"), "bk-8"), null, "nothing for the sweeper");
});

t.test("a hold that lands while its release runs is released, not marked", async (t) => {
  const { app } = await build(t, { auth });
  const [a] = await seedFlights(app.sql, [{ total: 10 }]);
  const held = await app.inject({
    headers: service,
    method: "POST",
    url: "/api/flights/holds",
    payload: { flight_ids: [a], seats: 2, hold_id: "bk-9" },
  });
  t.equal(held.statusCode, 201);
  // The mark is refused for an id whose hold exists: the release goes the usual way.
  t.same(await app.redis.invReleaseUnknown(keys.hold("bk-9"), Date.now(), 1_000), [-10, "held"]);
  const del = await app.inject({ headers: service, method: "DELETE", url: "/api/flights/holds/bk-9" });
  t.same(del.json(), { hold_id: "bk-9", status: "released", seats_returned: true });
  t.same(await app.inventory.availableSeats([a!]), [10]);
});
