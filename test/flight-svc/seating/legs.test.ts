import t from "tap";
import { keys } from "../../../flight-svc/inventory/keys.js";
import type { AppError } from "../../../lib/errors.js";
import { build, seedFlights } from "../../helpers/flight-svc.js";
import { confirmBookings, seatRows } from "../../helpers/seating.js";

// A check-in's legs in one call, all or none, against real Redis and PostgreSQL: a leg refused in
// the seat map (Redis) or by PostgreSQL leaves the other legs as they were, in both; check-ins of
// the same flights named in opposite orders never deadlock.

const mapOf = async (app: Awaited<ReturnType<typeof build>>["app"], flightId: number) => {
  const map = await app.redis.hgetall(keys.seatMap(flightId));
  delete map._;
  return Object.fromEntries(Object.entries(map).map(([seat, v]) => [seat, v.split(":").slice(0, 2).join(":")]));
};

t.test("a second leg's seat taken in the seat map: the first leg's claim is given back", async (t) => {
  const { app } = await build(t);
  const [a, b] = (await seedFlights(app.sql, [{ total: 10 }, { total: 10 }])) as [number, number];
  await confirmBookings(app.sql, [1], [a, b]);
  await confirmBookings(app.sql, [2], [b]);
  await app.inventory.seating.assign(b, "2", [{ passenger: 0, seat: "2B" }]);

  const legs = (seat: string) => [
    { flightId: a, wants: [{ passenger: 0, seat: "1C" }] },
    { flightId: b, wants: [{ passenger: 0, seat }] },
  ];
  await t.rejects(app.inventory.seating.assignLegs("1", legs("2B")), { code: "seat_taken", details: { flight_id: b } });
  t.same(await seatRows(app.sql, a), []);
  t.same(await mapOf(app, a), {}, "1C is free in the map again");

  t.match(await app.inventory.seating.assignLegs("1", legs("2C")), [
    [{ passenger: 0, seat: "1C" }],
    [{ passenger: 0, seat: "2C" }],
  ]);
  t.same(await mapOf(app, a), { "1C": "1:0" });
  t.same(await mapOf(app, b), { "2B": "2:0", "2C": "1:0" });
});

t.test("a second leg PostgreSQL refuses (not confirmed there): nothing written on the first", async (t) => {
  const { app } = await build(t);
  const [a, b] = (await seedFlights(app.sql, [{ total: 10 }, { total: 10 }])) as [number, number];
  await confirmBookings(app.sql, [1], [a]);
  const legs = [
    { flightId: a, wants: [{ passenger: 0 }] },
    { flightId: b, wants: [{ passenger: 0 }] },
  ];
  await t.rejects(app.inventory.seating.assignLegs("1", legs), { code: "not_checked_in", details: { flight_id: b } });
  t.same(await seatRows(app.sql, a), []);
  t.same(await mapOf(app, a), {});
  t.same(await mapOf(app, b), {});
});

t.test("a flight named twice is refused, naming the leg", async (t) => {
  const { app } = await build(t);
  const [a] = (await seedFlights(app.sql, [{ total: 10 }])) as [number];
  await confirmBookings(app.sql, [1], [a]);
  const leg = { flightId: a, wants: [{ passenger: 0 }] };
  const err = await app.inventory.seating.assignLegs("1", [leg, leg]).catch((e: AppError) => e);
  t.match(err, { code: "validation_error", details: { field: "legs[1].flight_id" } });
});

t.test("20 two-leg check-ins on the same flights, half naming them the other way round: all seated", async (t) => {
  const { app } = await build(t);
  const [a, b] = (await seedFlights(app.sql, [{ total: 30 }, { total: 30 }])) as [number, number];
  const bookings = Array.from({ length: 20 }, (_, i) => i + 1);
  await confirmBookings(app.sql, bookings, [a, b]);
  const got = await Promise.all(
    bookings.map((id) => {
      const legs = [
        { flightId: a, wants: [{ passenger: 0 }] },
        { flightId: b, wants: [{ passenger: 0 }] },
      ];
      return app.inventory.seating.assignLegs(`${id}`, id % 2 === 0 ? legs : legs.reverse());
    }),
  );
  t.equal(got.length, 20);
  for (const f of [a, b]) {
    const rows = await seatRows(app.sql, f);
    t.equal(new Set(rows.map((r) => r.seat)).size, 20, `20 different seats on flight ${f}`);
    t.same(
      await mapOf(app, f),
      Object.fromEntries(rows.map((r) => [r.seat, r.owner])),
      "the seat map holds PostgreSQL's seats",
    );
  }
});
