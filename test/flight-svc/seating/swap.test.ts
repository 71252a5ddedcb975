import t from "tap";
import { keys } from "../../../flight-svc/inventory/keys.js";
import { build, seedFlights } from "../../helpers/flight-svc.js";
import { confirmBookings, seatRows } from "../../helpers/seating.js";

// Passengers of one booking trading seats in one request: a seat another passenger of the same
// request gives up is free for it, in Redis and in PostgreSQL, and for nobody else.

const mapOwners = async (app: Awaited<ReturnType<typeof build>>["app"], f: number) => {
  const map = await app.redis.hgetall(keys.seatMap(f));
  delete map._;
  return Object.fromEntries(Object.entries(map).map(([seat, v]) => [seat, v.split(":").slice(0, 2).join(":")]));
};

t.test("two passengers of one booking swap seats in one request, keeping their boarding sequences", async (t) => {
  const { app } = await build(t);
  const [f] = (await seedFlights(app.sql, [{ total: 14 }])) as [number];
  await confirmBookings(app.sql, [1], [f], 2);
  await app.inventory.seating.assign(f, "1", [
    { passenger: 0, seat: "2A" },
    { passenger: 1, seat: "2B" },
  ]);

  const swapped = await app.inventory.seating.assign(f, "1", [
    { passenger: 0, seat: "2B" },
    { passenger: 1, seat: "2A" },
  ]);
  t.same(swapped, [
    { passenger: 0, seat: "2B", sequence: 1 },
    { passenger: 1, seat: "2A", sequence: 2 },
  ]);
  const expected = [
    { seat: "2A", owner: "1:1" },
    { seat: "2B", owner: "1:0" },
  ];
  t.same(await seatRows(app.sql, f), expected);
  t.same(await mapOwners(app, f), { "2A": "1:1", "2B": "1:0" }, "the seat map agrees");
});

t.test("three passengers rotate seats; a fourth of the booking, asked without a seat, keeps hers", async (t) => {
  const { app } = await build(t);
  const [f] = (await seedFlights(app.sql, [{ total: 14 }])) as [number];
  await confirmBookings(app.sql, [1], [f], 4);
  await app.inventory.seating.assign(f, "1", [
    { passenger: 0, seat: "1A" },
    { passenger: 1, seat: "1B" },
    { passenger: 2, seat: "1C" },
    { passenger: 3, seat: "1D" },
  ]);
  t.match(
    await app.inventory.seating.assign(f, "1", [
      { passenger: 0, seat: "1B" },
      { passenger: 1, seat: "1C" },
      { passenger: 2, seat: "1A" },
      { passenger: 3 },
    ]),
    [
      { passenger: 0, seat: "1B" },
      { passenger: 1, seat: "1C" },
      { passenger: 2, seat: "1A" },
      { passenger: 3, seat: "1D" },
    ],
  );
  t.same(await mapOwners(app, f), { "1A": "1:2", "1B": "1:0", "1C": "1:1", "1D": "1:3" });
});

t.test("a seat the booking's passenger keeps is still taken, for the booking's own other passengers", async (t) => {
  const { app } = await build(t);
  const [f] = (await seedFlights(app.sql, [{ total: 14 }])) as [number];
  await confirmBookings(app.sql, [1], [f], 2);
  await app.inventory.seating.assign(f, "1", [
    { passenger: 0, seat: "2A" },
    { passenger: 1, seat: "2B" },
  ]);
  const taken = { code: "seat_taken", details: { flight_id: f, seat: "2B" } };
  await t.rejects(app.inventory.seating.assign(f, "1", [{ passenger: 0, seat: "2B" }]), taken, "passenger 1 not asked");
  await t.rejects(
    app.inventory.seating.assign(f, "1", [{ passenger: 0, seat: "2B" }, { passenger: 1 }]),
    taken,
    "passenger 1 asked without a seat keeps it",
  );
  t.same(await seatRows(app.sql, f), [
    { seat: "2A", owner: "1:0" },
    { seat: "2B", owner: "1:1" },
  ]);
  t.same(await mapOwners(app, f), { "2A": "1:0", "2B": "1:1" });
});

t.test("other bookings asking for the swapped seats meanwhile are refused, whatever the order", async (t) => {
  const { app } = await build(t);
  const [f] = (await seedFlights(app.sql, [{ total: 14 }])) as [number];
  await confirmBookings(app.sql, [1], [f], 2);
  await confirmBookings(app.sql, [2, 3], [f]);
  await app.inventory.seating.assign(f, "1", [
    { passenger: 0, seat: "2A" },
    { passenger: 1, seat: "2B" },
  ]);
  for (let round = 0; round < 5; round++) {
    const [a, b] = round % 2 === 0 ? ["2B", "2A"] : ["2A", "2B"];
    const [swap, two, three] = await Promise.allSettled([
      app.inventory.seating.assign(f, "1", [
        { passenger: 0, seat: a as string },
        { passenger: 1, seat: b as string },
      ]),
      app.inventory.seating.assign(f, "2", [{ passenger: 0, seat: "2A" }]),
      app.inventory.seating.assign(f, "3", [{ passenger: 0, seat: "2B" }]),
    ]);
    t.equal(swap.status, "fulfilled", `round ${round}: the swap goes through`);
    t.match(two, { status: "rejected", reason: { code: "seat_taken" } });
    t.match(three, { status: "rejected", reason: { code: "seat_taken" } });
    const owners = { [a as string]: "1:0", [b as string]: "1:1" };
    t.same(await mapOwners(app, f), owners);
    t.same(Object.fromEntries((await seatRows(app.sql, f)).map((r) => [r.seat, r.owner])), owners, "PostgreSQL agrees");
  }
});
