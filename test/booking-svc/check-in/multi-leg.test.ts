import t from "tap";
import { keys } from "../../../flight-svc/inventory/keys.js";
import { startAuth } from "../../helpers/auth.js";
import { assignedInPostgres, bookFor, departingIn, takenSeats } from "../../helpers/check-in.js";
import { type System, startSystem } from "../../helpers/system.js";

// A check-in of a two-leg booking refused (or failing) on its second leg left the first leg
// checked in: the client was told no, yet a seat stayed taken there. A check-in is now all legs
// or none.

const legs = () => [
  departingIn(2, { source: "DEL", destination: "BOM", total: 10 }),
  departingIn(5, { source: "BOM", destination: "BLR", total: 10 }),
];

/** The flight's seat map in Redis, seat → "<booking id>:<passenger>" (as assignedInPostgres). */
async function seatMapInRedis(sys: System, flightId: number): Promise<Record<string, string>> {
  const map = await sys.redis.hgetall(keys.seatMap(flightId));
  delete map._;
  return Object.fromEntries(
    Object.entries(map).map(([seat, v]) => {
      const [ref, passenger] = v.split(":") as [string, string];
      return [seat, `${ref.split("-")[0]}:${passenger}`];
    }),
  );
}

t.test(
  "a second leg's seat_taken leaves no seat on the first leg, and a retry with another seat checks in",
  async (t) => {
    const auth = await startAuth(t);
    const sys = await startSystem(t, legs(), { auth });
    const [f1, f2] = sys.flightIds as [number, number];
    const ada = await auth.customer("ada");
    const bob = await auth.customer("bob");
    const id = await bookFor(sys, ada, [f1, f2], 1, ["Asha Rao"]);
    const his = await bookFor(sys, bob, [f2], 1, ["Bo Lee"]);
    const held = { seats: [{ passenger: "Bo Lee", flight_id: f2, seat: "2B" }] };
    t.equal((await sys.bookingCall("POST", `/api/bookings/${his}/check-in`, held, bob.headers)).status, 200);

    const ask = (seat: string) => ({
      seats: [
        { passenger: "Asha Rao", flight_id: f1, seat: "1C" },
        { passenger: "Asha Rao", flight_id: f2, seat },
      ],
    });
    const path = `/api/bookings/${id}/check-in`;
    const refused = await sys.bookingCall("POST", path, ask("2B"), ada.headers);
    t.same(
      { status: refused.status, body: refused.body },
      {
        status: 409,
        body: { error: "seat_taken", message: `Seat 2B on flight ${f2} is taken.`, flight_id: f2, seat: "2B" },
      },
    );
    t.same(await assignedInPostgres(sys, f1), {}, "no seat on the first leg in PostgreSQL");
    t.same(await seatMapInRedis(sys, f1), {}, "nor in its seat map in Redis");
    t.same(await takenSeats(sys, f1), []);
    t.same(await assignedInPostgres(sys, f2), { "2B": `${his}:0` }, "the second leg is as it was");
    t.same((await sys.bookingCall("GET", `/api/bookings/${id}/boarding-passes`, undefined, ada.headers)).body, {
      booking_id: id,
      boarding_passes: [],
    });

    const retried = await sys.bookingCall("POST", path, ask("2C"), ada.headers);
    t.equal(retried.status, 200);
    t.match(retried.body.boarding_passes, [
      { passenger: "Asha Rao", flight_id: f1, seat: "1C", sequence: 1 },
      { passenger: "Asha Rao", flight_id: f2, seat: "2C", sequence: 2 },
    ]);
    t.same(await assignedInPostgres(sys, f1), { "1C": `${id}:0` });
    t.same(await seatMapInRedis(sys, f1), { "1C": `${id}:0` });
    t.same(await assignedInPostgres(sys, f2), { "2B": `${his}:0`, "2C": `${id}:0` });
    t.same(await seatMapInRedis(sys, f2), { "2B": `${his}:0`, "2C": `${id}:0` });
    t.same(
      (await sys.bookingCall("POST", path, ask("2C"), ada.headers)).body,
      retried.body,
      "a repeat: the same passes",
    );
  },
);

t.test("a seat change refused on the second leg leaves the first leg's seat where it was", async (t) => {
  const auth = await startAuth(t);
  const sys = await startSystem(t, legs(), { auth });
  const [f1, f2] = sys.flightIds as [number, number];
  const ada = await auth.customer("ada");
  const bob = await auth.customer("bob");
  const id = await bookFor(sys, ada, [f1, f2], 1, ["Asha Rao"]);
  const his = await bookFor(sys, bob, [f2], 1, ["Bo Lee"]);
  const path = `/api/bookings/${id}/check-in`;
  const first = await sys.bookingCall("POST", path, {}, ada.headers);
  t.match(first.body.boarding_passes, [
    { flight_id: f1, seat: "1A" },
    { flight_id: f2, seat: "1A" },
  ]);
  const held = { seats: [{ passenger: "Bo Lee", flight_id: f2, seat: "2B" }] };
  t.equal((await sys.bookingCall("POST", `/api/bookings/${his}/check-in`, held, bob.headers)).status, 200);

  const move = {
    seats: [
      { passenger: "Asha Rao", flight_id: f1, seat: "2D" },
      { passenger: "Asha Rao", flight_id: f2, seat: "2B" },
    ],
  };
  t.match(await sys.bookingCall("POST", path, move, ada.headers), {
    status: 409,
    body: { error: "seat_taken", flight_id: f2, seat: "2B" },
  });
  t.same(await assignedInPostgres(sys, f1), { "1A": `${id}:0` }, "still in 1A, 2D free");
  t.same(await seatMapInRedis(sys, f1), { "1A": `${id}:0` });
  t.same(
    (await sys.bookingCall("GET", `/api/bookings/${id}/boarding-passes`, undefined, ada.headers)).body,
    first.body,
    "the passes issued before still stand",
  );
});

t.test("a failure on the second leg's write leaves no seat on the first leg; a retry checks in", async (t) => {
  const auth = await startAuth(t);
  const sys = await startSystem(t, legs(), { auth });
  const [f1, f2] = sys.flightIds as [number, number];
  const ada = await auth.customer("ada");
  const id = await bookFor(sys, ada, [f1, f2], 1, ["Asha Rao"]);
  // PostgreSQL fails every write of a seat on the second leg, as a lost connection or a full disk would.
  await sys.flightsSql.unsafe(`
    CREATE FUNCTION fail_second_leg() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'second leg down'; END $$;
    CREATE TRIGGER fail_second_leg BEFORE INSERT ON seat_assignments
      FOR EACH ROW WHEN (NEW.flight_id = ${f2}) EXECUTE FUNCTION fail_second_leg();`);
  const dropTrigger = () =>
    sys.flightsSql.unsafe(`DROP TRIGGER IF EXISTS fail_second_leg ON seat_assignments;
      DROP FUNCTION IF EXISTS fail_second_leg();`);
  t.teardown(dropTrigger);

  const path = `/api/bookings/${id}/check-in`;
  const failed = await sys.bookingCall("POST", path, {}, ada.headers);
  t.ok(failed.status >= 500, `answered ${failed.status} ${JSON.stringify(failed.body)}`);
  t.same(await assignedInPostgres(sys, f1), {}, "no seat on the first leg in PostgreSQL");
  t.same(await seatMapInRedis(sys, f1), {}, "nor in its seat map in Redis");
  t.same(await assignedInPostgres(sys, f2), {});
  t.same(await seatMapInRedis(sys, f2), {}, "no claim left on the second leg");

  await dropTrigger();
  const retried = await sys.bookingCall("POST", path, {}, ada.headers);
  t.equal(retried.status, 200);
  t.match(retried.body.boarding_passes, [
    { flight_id: f1, seat: "1A" },
    { flight_id: f2, seat: "1A" },
  ]);
  t.same(await assignedInPostgres(sys, f1), { "1A": `${id}:0` });
  t.same(await assignedInPostgres(sys, f2), { "1A": `${id}:0` });
});
