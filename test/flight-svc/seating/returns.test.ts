import t from "tap";
import { keys } from "../../../flight-svc/inventory/keys.js";
import { build, seedFlights } from "../../helpers/flight-svc.js";
import { seatRows } from "../../helpers/seating.js";

// Seats go with the seats they sit in: a booking's hold cancelled through DELETE (cancel, a
// change releasing its old legs) frees its passengers' seats inside flight-svc; a leg the
// booking still holds under another hold (a change that kept it) keeps them.

async function confirmedHold(
  app: Awaited<ReturnType<typeof build>>["app"],
  holdId: string,
  legs: number[],
  seats: number,
) {
  await app.inventory.placeHold({ flightIds: legs, seats, holdId });
  await app.inventory.confirmHold(holdId);
}

t.test("releasing a confirmed hold frees its booking's seats on its legs, in PostgreSQL and Redis", async (t) => {
  const { app } = await build(t);
  const [a, b] = (await seedFlights(app.sql, [{ total: 12 }, { total: 12 }])) as [number, number];
  await confirmedHold(app, "bk-7", [a, b], 2);
  await confirmedHold(app, "bk-8", [a], 1);
  await app.inventory.seating.assign(a, "7", [{ passenger: 0 }, { passenger: 1 }]);
  await app.inventory.seating.assign(b, "7", [{ passenger: 0, seat: "2F" }]);
  await app.inventory.seating.assign(a, "8", [{ passenger: 0, seat: "2A" }]);

  t.match(await app.inventory.releaseHold("bk-7"), { status: "cancelled", seats_returned: true });
  t.same(await seatRows(app.sql, a), [{ seat: "2A", owner: "8:0" }], "booking 8 keeps its seat");
  t.same(await seatRows(app.sql, b), []);
  t.same((await app.inventory.seating.seatMap(a)).free_seats, 11);
  t.same((await app.inventory.seating.seatMap(b)).free_seats, 12);
  t.same(Object.keys(await app.redis.hgetall(keys.seatMap(a))).sort(), ["2A", "_"]);
  await t.rejects(app.inventory.seating.assign(a, "7", [{ passenger: 0 }]), { code: "not_checked_in" });
});

t.test("a change that keeps a leg: the old hold's release keeps the seats still confirmed there", async (t) => {
  const { app } = await build(t);
  const [a, b, c] = (await seedFlights(app.sql, [{ total: 12 }, { total: 12 }, { total: 12 }])) as [
    number,
    number,
    number,
  ];
  await confirmedHold(app, "bk-7", [a, b], 2);
  await app.inventory.seating.assign(a, "7", [{ passenger: 0 }, { passenger: 1 }]);
  await app.inventory.seating.assign(b, "7", [{ passenger: 0 }, { passenger: 1 }]);
  // The change's new legs (a kept, c instead of b) are confirmed before the old ones go.
  await confirmedHold(app, "bk-7-c1", [a, c], 2);
  await app.inventory.releaseHold("bk-7");
  t.same(await seatRows(app.sql, a), [
    { seat: "1A", owner: "7:0" },
    { seat: "1B", owner: "7:1" },
  ]);
  t.same(await seatRows(app.sql, b), [], "the leg left behind is free");
  t.equal((await app.inventory.seating.seatMap(a)).free_seats, 10);
  await app.inventory.releaseHold("bk-7-c1");
  t.same(await seatRows(app.sql, a), [], "cancelling the changed booking frees the rest");
  t.equal((await app.inventory.seating.seatMap(a)).free_seats, 12);
});

t.test("reconcile: a seat map that differs from PostgreSQL is reported and rebuilt", async (t) => {
  const { app } = await build(t);
  const [a, b] = (await seedFlights(app.sql, [{ total: 12 }, { total: 12 }])) as [number, number];
  await confirmedHold(app, "bk-7", [a, b], 1);
  await app.inventory.seating.assign(a, "7", [{ passenger: 0, seat: "1C" }]);
  await app.inventory.seating.assign(b, "7", [{ passenger: 0, seat: "1D" }]);
  t.same(await app.inventory.reconcile(false), { flights_checked: 2, drift: [], repaired: 0 });

  await app.redis.hdel(keys.seatMap(a), "1C");
  await app.redis.hset(keys.seatMap(b), "2A", `9:0:${Date.now() - 60_000}`);
  await app.redis.hset(keys.seatMap(b), "2B", `9:1:${Date.now()}`);
  const seen = await app.inventory.reconcile(false);
  t.same(
    seen.seat_drift,
    [
      { flight_id: a, seats: ["1C"] },
      { flight_id: b, seats: ["2A"] },
    ],
    "a claim younger than a stale one may be on its way to PostgreSQL and is not drift",
  );
  t.equal(seen.seat_maps_repaired, 0);
  const fixed = await app.inventory.reconcile(true);
  t.equal(fixed.seat_maps_repaired, 2);
  t.same(await app.inventory.reconcile(false), { flights_checked: 2, drift: [], repaired: 0 });
  const map = await app.inventory.seating.seatMap(a);
  t.equal(map.rows[0]?.seats[2]?.status, "taken", "1C reloaded from PostgreSQL");
});
