import t from "tap";
import { keys } from "../../../flight-svc/inventory/keys.js";
import type { AppError } from "../../../lib/errors.js";
import { build, seedFlights } from "../../helpers/flight-svc.js";
import { confirmBookings, seatRows } from "../../helpers/seating.js";

// One passenger per seat under concurrency, against real Redis and PostgreSQL: many bookings
// asking for one seat at once, and a nearly full flight where everyone lets flight-svc pick.

t.test("30 bookings race for seat 1A, each trying 3 times: exactly one wins it", async (t) => {
  const { app } = await build(t);
  const [f] = (await seedFlights(app.sql, [{ total: 60 }])) as [number];
  const bookings = Array.from({ length: 30 }, (_, i) => i + 1);
  await confirmBookings(app.sql, bookings, [f]);

  const tries = bookings
    .flatMap((b) => [b, b, b])
    .map(async (b) => {
      try {
        await app.inventory.seating.assign(f, `${b}`, [{ passenger: 0, seat: "1A" }]);
        return { b, won: true };
      } catch (err) {
        t.equal((err as AppError).code, "seat_taken");
        return { b, won: false };
      }
    });
  const results = await Promise.all(tries);
  const winners = new Set(results.filter((r) => r.won).map((r) => r.b));
  t.equal(winners.size, 1, "one booking got the seat (its own repeats answer the same)");
  const [winner] = [...winners];
  t.same(await seatRows(app.sql, f), [{ seat: "1A", owner: `${winner}:0` }]);
  t.match(await app.redis.hget(keys.seatMap(f), "1A"), new RegExp(`^${winner}:0:`), "the seat map agrees");
  t.equal(results.filter((r) => r.won).length, 3, "the winner's repeats all succeed");
});

t.test("a nearly full flight: 24 concurrent check-ins without a seat choice fill 24 seats, each once", async (t) => {
  const { app } = await build(t);
  const [f] = (await seedFlights(app.sql, [{ total: 26 }])) as [number];
  const bookings = Array.from({ length: 26 }, (_, i) => i + 1);
  await confirmBookings(app.sql, bookings, [f]);
  await app.inventory.seating.assign(f, "25", [{ passenger: 0, seat: "1A" }]);
  await app.inventory.seating.assign(f, "26", [{ passenger: 0, seat: "5B" }]);

  const got = await Promise.all(
    bookings.slice(0, 24).map((b) => app.inventory.seating.assign(f, `${b}`, [{ passenger: 0 }])),
  );
  const seats = got.map((a) => a[0]?.seat);
  t.equal(new Set(seats).size, 24, "24 different seats");
  t.notOk(seats.includes("1A") || seats.includes("5B"), "none of the two taken before");
  const rows = await seatRows(app.sql, f);
  t.equal(rows.length, 26);
  t.equal(new Set(rows.map((r) => r.seat)).size, 26, "no seat twice in PostgreSQL");
  const map = await app.redis.hgetall(keys.seatMap(f));
  delete map._;
  t.same(
    Object.fromEntries(Object.entries(map).map(([seat, v]) => [seat, v.split(":").slice(0, 2).join(":")])),
    Object.fromEntries(rows.map((r) => [r.seat, r.owner])),
    "Redis holds exactly PostgreSQL's seats",
  );
  const sequences = got.map((a) => a[0]?.sequence).sort((a, b) => (a as number) - (b as number));
  t.same(
    sequences,
    Array.from({ length: 24 }, (_, i) => i + 3),
    "boarding sequences 3…26, each once",
  );
  const map2 = await app.inventory.seating.seatMap(f);
  t.equal(map2.free_seats, 0);
});

t.test("a claim a crash left in Redis: refused while young, given to who asks once stale", async (t) => {
  const { app } = await build(t);
  const [f] = (await seedFlights(app.sql, [{ total: 3 }])) as [number];
  await confirmBookings(app.sql, [1, 2, 3], [f]);
  await app.inventory.seating.assign(f, "1", [{ passenger: 0 }]);
  await app.inventory.seating.assign(f, "2", [{ passenger: 0 }]);
  // Booking 99's claim of 1C never reached PostgreSQL (its flight-svc died in between).
  await app.redis.hset(keys.seatMap(f), "1C", `99:0:${Date.now()}`);
  await t.rejects(app.inventory.seating.assign(f, "3", [{ passenger: 0 }]), { code: "not_enough_seats" });
  await t.rejects(app.inventory.seating.assign(f, "3", [{ passenger: 0, seat: "1C" }]), { code: "seat_taken" });
  await app.redis.hset(keys.seatMap(f), "1C", `99:0:${Date.now() - 60_000}`);
  t.match(await app.inventory.seating.assign(f, "3", [{ passenger: 0, seat: "1C" }]), [{ seat: "1C" }]);
  t.same(await seatRows(app.sql, f), [
    { seat: "1A", owner: "1:0" },
    { seat: "1B", owner: "2:0" },
    { seat: "1C", owner: "3:0" },
  ]);
});

// A booking's check-in that a client repeats while the first still runs, or repeats after the
// first died between its claim and its commit, finds its passengers' seats claimed in Redis under
// their own names: those are theirs. Any other pick leaves the claims behind, and on a full
// flight no seat is left to pick.

t.test(
  "a passenger's own claim, a concurrent repeat's: the repeat seats them there, even on a full flight",
  async (t) => {
    const { app } = await build(t);
    const [f] = (await seedFlights(app.sql, [{ total: 2 }])) as [number];
    await confirmBookings(app.sql, [1], [f], 2);
    await app.inventory.seating.seatMap(f);
    // The first request of booking 1 has claimed both seats and not yet committed.
    await app.redis.hset(keys.seatMap(f), "1A", `1:0:${Date.now()}`, "1B", `1:1:${Date.now()}`);
    t.match(await app.inventory.seating.assign(f, "1", [{ passenger: 0 }, { passenger: 1 }]), [
      { passenger: 0, seat: "1A" },
      { passenger: 1, seat: "1B" },
    ]);
    t.same(await seatRows(app.sql, f), [
      { seat: "1A", owner: "1:0" },
      { seat: "1B", owner: "1:1" },
    ]);
  },
);

t.test(
  "a passenger's own claim a crash left: the retry seats them there and the map keeps no stray claim",
  async (t) => {
    const { app } = await build(t);
    const [f] = (await seedFlights(app.sql, [{ total: 3 }])) as [number];
    await confirmBookings(app.sql, [1], [f]);
    await app.inventory.seating.seatMap(f);
    // Booking 1's claim of 1B never reached PostgreSQL (its flight-svc died in between).
    await app.redis.hset(keys.seatMap(f), "1B", `1:0:${Date.now() - 60_000}`);
    t.match(await app.inventory.seating.assign(f, "1", [{ passenger: 0 }]), [{ passenger: 0, seat: "1B" }]);
    t.same(await seatRows(app.sql, f), [{ seat: "1B", owner: "1:0" }]);
    t.equal((await app.inventory.seating.seatMap(f)).free_seats, 2, "1A and 1C free, as in PostgreSQL");
  },
);
