import t from "tap";
import { legKeys } from "../../../flight-svc/inventory/key-layout.js";
import { keys } from "../../../flight-svc/inventory/keys.js";
import { fileAuth } from "../../helpers/auth.js";
import { bookedSeats, build, seedFlights } from "../../helpers/flight-svc.js";

const auth = await fileAuth();
const service = (await auth.service()).headers;

const LATER = 31 * 60_000; // past any hold's expiry and the confirm grace period

t.test("a confirm that died after its first step is settled by the sweeper: seats return", async (t) => {
  const { app } = await build(t, { auth });
  const [f] = await seedFlights(app.sql, [{ total: 10 }]);
  const h = await app.inventory.placeHold({ flightIds: [f!], seats: 4, ttlSeconds: 60 });
  await app.redis.invConfirmBegin(keys.hold(h.hold_id), keys.holdExpiries(h.hold_id), h.hold_id, Date.now(), 30_000);
  t.same(await app.inventory.sweepOnce(Date.now() + 10_000), { expired: 0, settled: 0 }, "not before the grace");
  t.same(await app.inventory.sweepOnce(Date.now() + LATER), { expired: 0, settled: 1 });
  t.same(await app.inventory.availableSeats([f!]), [10]);
  t.match(await app.inventory.getHold(h.hold_id), { status: "expired" });
  const late = await app.inject({ headers: service, method: "POST", url: `/api/flights/holds/${h.hold_id}/confirm` });
  t.equal(late.statusCode, 409, "a confirm arriving afterwards loses");
  t.equal(await bookedSeats(app.sql, f!), 0);
});

t.test("a confirm that died after PostgreSQL committed is finished by the sweeper", async (t) => {
  const { app } = await build(t, { auth });
  const [f] = await seedFlights(app.sql, [{ total: 10 }]);
  const h = await app.inventory.placeHold({ flightIds: [f!], seats: 4, ttlSeconds: 60 });
  await app.redis.invConfirmBegin(keys.hold(h.hold_id), keys.holdExpiries(h.hold_id), h.hold_id, Date.now(), 30_000);
  await app.sql`INSERT INTO seat_ledger (op_id, kind, flight_ids, seats, status)
                VALUES (${h.hold_id}, 'hold', ${[f!]}::bigint[], 4, 'confirmed')`;
  await app.sql`UPDATE flights SET booked_seats = booked_seats + 4 WHERE id = ${f!}`;
  // Redis dropped the counter meanwhile: the init must not subtract the hold twice.
  await app.redis.del(keys.seatsAvailable(f!));
  t.same(await app.inventory.availableSeats([f!]), [6]);
  t.same(await app.inventory.sweepOnce(Date.now() + LATER), { expired: 0, settled: 1 });
  t.same(await app.inventory.availableSeats([f!]), [6]);
  t.match(await app.inventory.getHold(h.hold_id), { status: "confirmed" });
  t.same(await app.inventory.confirmHold(h.hold_id), {
    hold_id: h.hold_id,
    status: "confirmed",
    seats: 4,
    legs: [{ flight_id: f }],
  });
});

t.test("a cancellation that died after PostgreSQL committed gives the seats back once", async (t) => {
  const { app } = await build(t, { auth });
  const [f] = await seedFlights(app.sql, [{ total: 10 }]);
  const h = await app.inventory.placeHold({ flightIds: [f!], seats: 3, ttlSeconds: 60 });
  await app.inventory.confirmHold(h.hold_id);
  const ks = legKeys(h.hold_id, [f!]);
  await app.redis.invReturnBegin(...ks, h.hold_id, 3, Date.now(), 30_000, String(f), "hold");
  await app.sql`UPDATE seat_ledger SET status = 'cancelled' WHERE op_id = ${h.hold_id}`;
  await app.sql`UPDATE flights SET booked_seats = booked_seats - 3 WHERE id = ${f!}`;
  t.same(await app.inventory.availableSeats([f!]), [7], "not free before the last step");
  t.same(await app.inventory.sweepOnce(Date.now() + LATER), { expired: 0, settled: 1 });
  t.same(await app.inventory.availableSeats([f!]), [10]);
  const del = await app.inject({ headers: service, method: "DELETE", url: `/api/flights/holds/${h.hold_id}` });
  t.same(del.json(), { hold_id: h.hold_id, status: "cancelled", seats_returned: false });
  t.same(await app.inventory.availableSeats([f!]), [10]);
});

t.test("PostgreSQL refusing a confirm (Redis had drifted) releases the hold and answers 409", async (t) => {
  const { app } = await build(t, { auth });
  const [f] = await seedFlights(app.sql, [{ total: 10, booked: 9 }]);
  await app.redis.set(keys.seatsAvailable(f!), "5");
  const h = await app.inventory.placeHold({ flightIds: [f!], seats: 3, ttlSeconds: 60 });
  const res = await app.inject({ headers: service, method: "POST", url: `/api/flights/holds/${h.hold_id}/confirm` });
  t.equal(res.statusCode, 409);
  t.same(res.json(), {
    error: "not_enough_seats",
    message: "Not enough seats are available.",
    hold_id: h.hold_id,
    flight_id: f,
    available_seats: 1,
  });
  t.equal(await bookedSeats(app.sql, f!), 9);
  t.equal(await app.redis.get(keys.seatsAvailable(f!)), "5", "the hold's seats are back");
  t.match(await app.inventory.getHold(h.hold_id), { status: "released" });
});

t.test("a confirm on a flight cancelled after the hold fails with flight_cancelled", async (t) => {
  const { app } = await build(t, { auth });
  const [f, g] = await seedFlights(app.sql, [{ total: 10 }, { total: 10 }]);
  const h = await app.inventory.placeHold({ flightIds: [f!, g!], seats: 2, ttlSeconds: 60 });
  await app.sql`UPDATE flights SET status = 'cancelled' WHERE id = ${g!}`;
  const res = await app.inject({ headers: service, method: "POST", url: `/api/flights/holds/${h.hold_id}/confirm` });
  t.equal(res.statusCode, 409);
  t.match(res.json(), { error: "flight_cancelled", flight_id: g });
  t.equal(await bookedSeats(app.sql, f!), 0, "no leg booked");
  t.same(await app.inventory.availableSeats([f!, g!]), [10, 10]);
});

t.test("after Redis lost everything: the ledger answers retried confirms and cancels once", async (t) => {
  const { app } = await build(t, { auth });
  const [f] = await seedFlights(app.sql, [{ total: 10 }]);
  const lost = await app.inventory.placeHold({ flightIds: [f!], seats: 2, ttlSeconds: 60 });
  const kept = await app.inventory.placeHold({ flightIds: [f!], seats: 3, ttlSeconds: 60 });
  await app.inventory.confirmHold(kept.hold_id);
  await app.redis.flushdb();

  const gone = await app.inject({
    headers: service,
    method: "POST",
    url: `/api/flights/holds/${lost.hold_id}/confirm`,
  });
  t.equal(gone.statusCode, 404, "a hold neither Redis nor the ledger knows is unknown, as GET says too");
  t.match(gone.json(), { error: "hold_not_found", hold_id: lost.hold_id });
  t.equal(
    (await app.inject({ headers: service, method: "GET", url: `/api/flights/holds/${lost.hold_id}` })).statusCode,
    404,
  );
  const again = await app.inject({
    headers: service,
    method: "POST",
    url: `/api/flights/holds/${kept.hold_id}/confirm`,
  });
  t.equal(again.statusCode, 200, "a retried confirm finds its ledger row");
  t.match(again.json(), { status: "confirmed", seats: 3 });
  t.same(await app.inventory.availableSeats([f!]), [7], "the lost hold's seats are free again");
  t.match(await app.inventory.getHold(kept.hold_id), { status: "confirmed", expires_at: null });

  const del = () => app.inject({ headers: service, method: "DELETE", url: `/api/flights/holds/${kept.hold_id}` });
  t.same((await del()).json(), { hold_id: kept.hold_id, status: "cancelled", seats_returned: true });
  t.same((await del()).json(), { hold_id: kept.hold_id, status: "cancelled", seats_returned: false });
  t.equal(await bookedSeats(app.sql, f!), 0);
  t.same(await app.inventory.availableSeats([f!]), [10]);
  const lostDel = await app.inject({ headers: service, method: "DELETE", url: `/api/flights/holds/${lost.hold_id}` });
  t.equal(lostDel.statusCode, 404);
});

t.test("a hold id held again after Redis lost its confirmed hold books nothing twice", async (t) => {
  const { app } = await build(t, { auth });
  const [f] = await seedFlights(app.sql, [{ total: 10 }]);
  const place = () => app.inventory.placeHold({ flightIds: [f!], seats: 2, ttlSeconds: 60, holdId: "bk-9" });
  await place();
  await app.inventory.confirmHold("bk-9");
  await app.redis.flushdb();
  await place();
  t.same(await app.inventory.availableSeats([f!]), [6], "the new hold takes seats for now");
  t.match(await app.inventory.confirmHold("bk-9"), { status: "confirmed", seats: 2 });
  t.equal(await bookedSeats(app.sql, f!), 2, "booked once");
  t.same(await app.inventory.availableSeats([f!]), [8], "the new hold's seats came back");
  t.match(await app.inventory.getHold("bk-9"), { status: "confirmed" });

  // The same, with the confirm dying after its first step: the sweeper settles it alike.
  await app.redis.flushdb();
  await place();
  await app.redis.invConfirmBegin(keys.hold("bk-9"), keys.holdExpiries("bk-9"), "bk-9", Date.now(), 30_000);
  t.same(await app.inventory.sweepOnce(Date.now() + LATER), { expired: 0, settled: 1 });
  t.equal(await bookedSeats(app.sql, f!), 2);
  t.same(await app.inventory.availableSeats([f!]), [8]);
});
