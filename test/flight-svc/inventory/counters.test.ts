import { setTimeout as sleep } from "node:timers/promises";
import t from "tap";
import { flightKeys } from "../../../flight-svc/inventory/key-layout.js";
import { keys } from "../../../flight-svc/inventory/keys.js";
import { bookedSeats, build, seedFlights } from "../../helpers/flight-svc.js";

t.test("availableSeats initialises missing counters from PostgreSQL, in the order given", async (t) => {
  const { app } = await build(t);
  const [a, b] = await seedFlights(app.sql, [
    { total: 180, booked: 50 },
    { total: 100, booked: 100 },
  ]);
  t.same(await app.inventory.availableSeats([b!, 999, a!]), [0, null, 130]);
  t.equal(await app.redis.get(keys.seatsAvailable(a!)), "130");
  t.same(await app.inventory.availableSeats([]), []);
});

t.test("an existing counter is read, not recomputed", async (t) => {
  const { app } = await build(t);
  const [a] = await seedFlights(app.sql, [{ total: 10 }]);
  await app.redis.set(keys.seatsAvailable(a!), "7");
  t.same(await app.inventory.availableSeats([a!]), [7]);
});

t.test("concurrent initialisation after FLUSHALL sets each counter once, to the same value", async (t) => {
  const { app } = await build(t);
  const ids = await seedFlights(app.sql, [{ total: 50, booked: 5 }, { total: 60 }]);
  const all = await Promise.all(Array.from({ length: 40 }, () => app.inventory.availableSeats(ids)));
  for (const r of all) t.same(r, [45, 60]);
});

t.test("the counter counts live holds recorded in Redis", async (t) => {
  const { app } = await build(t);
  const [a] = await seedFlights(app.sql, [{ total: 20, booked: 2 }]);
  await app.redis.hset(keys.flightHolds(a!), "h1", "3", "h2", "4");
  t.same(await app.inventory.availableSeats([a!]), [11]);
});

t.test("a hold already confirmed in the ledger is not subtracted twice", async (t) => {
  const { app } = await build(t);
  const [a] = await seedFlights(app.sql, [{ total: 20, booked: 3 }]);
  await app.sql`INSERT INTO seat_ledger (op_id, kind, flight_ids, seats, status)
                VALUES ('h1', 'hold', ${[a!]}::bigint[], 3, 'confirmed')`;
  await app.redis.hset(keys.flightHolds(a!), "h1", "3", "h2", "1");
  t.same(await app.inventory.availableSeats([a!]), [16]);
  t.same(await app.redis.hkeys(keys.flightHolds(a!)), ["h2"]);
});

t.test("adjustTotalSeats moves the counter and refuses to go below zero", async (t) => {
  const { app } = await build(t);
  const [a] = await seedFlights(app.sql, [{ total: 20, booked: 15 }]);
  await app.inventory.adjustTotalSeats(a!, 10);
  t.same(await app.inventory.availableSeats([a!]), [15]);
  await app.inventory.adjustTotalSeats(a!, -15);
  t.same(await app.inventory.availableSeats([a!]), [0]);
  await t.rejects(app.inventory.adjustTotalSeats(a!, -1), {
    code: "not_enough_seats",
    details: { flight_id: a, available_seats: 0 },
  });
  await t.rejects(app.inventory.adjustTotalSeats(999, 1), { code: "flight_not_found" });
});

t.test("an initialisation whose snapshot predates a finished confirm starts again", async (t) => {
  const { app } = await build(t);
  const [f] = await seedFlights(app.sql, [{ total: 10 }]);
  const hold = await app.inventory.placeHold({ flightIds: [f!], seats: 3, ttlSeconds: 60 });
  await app.redis.del(keys.seatsAvailable(f!));
  const fk = flightKeys(f!);
  const probe = await app.redis.invInitProbe(...fk, 1_000);
  t.same(probe, [-1, 0, [hold.hold_id], []]);
  // The snapshot is taken now (10 free, nothing booked) …
  const staleFree = 10;
  // … then a confirm commits and finishes: the hold leaves the hash, booked_seats counts it.
  await app.redis.set(keys.seatsAvailable(f!), "7");
  await app.inventory.confirmHold(hold.hold_id);
  await app.redis.del(keys.seatsAvailable(f!));
  t.same(await app.redis.invInitCounter(...fk, 0, staleFree, 0), [-8, 1], "stale snapshot refused");
  t.equal(await app.redis.get(keys.seatsAvailable(f!)), null);
  t.same(await app.inventory.availableSeats([f!]), [7]);
});

t.test("a confirm finishing while a counter is initialised waits for it, and nothing counts twice", async (t) => {
  const { app } = await build(t);
  const [f] = await seedFlights(app.sql, [{ total: 10 }]);
  const hold = await app.inventory.placeHold({ flightIds: [f!], seats: 3, ttlSeconds: 60 });
  await app.redis.del(keys.seatsAvailable(f!));
  await app.redis.invInitProbe(...flightKeys(f!), 1_000); // an initialisation has begun
  const confirming = app.inventory.confirmHold(hold.hold_id);
  await sleep(150);
  t.equal(await bookedSeats(app.sql, f!), 3, "PostgreSQL committed");
  t.equal(await app.redis.hget(keys.hold(hold.hold_id), "state"), "confirming", "the last step waits");
  t.same(await app.inventory.availableSeats([f!]), [7], "the initialisation completes at once");
  t.match(await confirming, { status: "confirmed" });
  t.same(await app.inventory.availableSeats([f!]), [7]);
  t.equal(await app.redis.exists(keys.seatsInitLock(f!)), 0);
});
