import t from "tap";
import { keys } from "../../../flight-svc/inventory/keys.js";
import { fileAuth } from "../../helpers/auth.js";
import { build, seedFlights } from "../../helpers/flight-svc.js";
import { seatRows } from "../../helpers/seating.js";

// Seats are a booking's ref's, not its id's: bookings_db restored or reset gives a new booking an
// old booking's id, with a hold nonce of its own (bk-7-<nonce>). Under the id alone the new
// booking counted the old one's confirmed seats as its own and was answered its passengers' seats.

const auth = await fileAuth();
const service = (await auth.service()).headers;
const [OLD, NEW] = ["0f1e2d3c4b5a6978", "a1b2c3d4e5f60718"];

async function confirmedHold(app: Awaited<ReturnType<typeof build>>["app"], holdId: string, legs: number[]) {
  await app.inventory.placeHold({ flightIds: legs, seats: 1, holdId });
  await app.inventory.confirmHold(holdId);
}

t.test("two bookings with one id: each checks in its own passengers, and a cancel frees its own", async (t) => {
  const { app } = await build(t, { auth });
  const [f, g] = (await seedFlights(app.sql, [{ total: 10 }, { total: 10 }])) as [number, number];
  await confirmedHold(app, `bk-7-${OLD}`, [f, g]);
  await confirmedHold(app, `bk-7-${NEW}`, [f]);
  const call = async (method: "GET" | "POST", url: string, payload?: object) =>
    app.inject({ method, url, payload, headers: service });

  const old = await call("POST", `/api/flights/${f}/seat-assignments`, {
    booking_id: 7,
    hold_nonce: OLD,
    passengers: [{ passenger: 0, seat: "1A" }],
  });
  t.match(old.json(), { booking_id: 7, assignments: [{ passenger: 0, seat: "1A" }] });

  const seatsOfNew = `/api/flights/${f}/seat-assignments?booking_id=7&hold_nonce=${NEW}`;
  t.same((await call("GET", seatsOfNew)).json().assignments, [], "the new booking has no seat yet");
  const added = await call("POST", "/api/seat-assignments", {
    booking_id: 7,
    hold_nonce: NEW,
    legs: [{ flight_id: f, passengers: [{ passenger: 0 }] }],
  });
  t.match(added.json(), { legs: [{ flight_id: f, assignments: [{ passenger: 0, seat: "1B" }] }] }, "a seat of its own");
  const second = await call("POST", `/api/flights/${f}/seat-assignments`, {
    booking_id: 7,
    hold_nonce: NEW,
    passengers: [{ passenger: 1 }],
  });
  t.match(second.json(), { error: "validation_error", field: "passengers[0].seat" }, "one passenger, not two");
  const onG = await call("POST", `/api/flights/${g}/seat-assignments`, {
    booking_id: 7,
    hold_nonce: NEW,
    passengers: [{ passenger: 0 }],
  });
  t.match(onG.json(), { error: "not_checked_in" }, "the old booking's other flight is not the new one's");
  t.same(
    (await call("GET", seatsOfNew)).json().assignments.map((a: { seat: string }) => a.seat),
    ["1B"],
  );

  t.match(await app.inventory.releaseHold(`bk-7-${OLD}`), { status: "cancelled", seats_returned: true });
  t.same(await seatRows(app.sql, f), [{ seat: "1B", owner: `7-${NEW}:0` }], "the old booking's seat alone went");
  t.same(Object.keys(await app.redis.hgetall(keys.seatMap(f))).sort(), ["1B", "_"], "and in the seat map");
});

t.test("a booking from before hold nonces is asked for by its id alone", async (t) => {
  const { app } = await build(t, { auth });
  const [f] = (await seedFlights(app.sql, [{ total: 10 }])) as [number];
  await confirmedHold(app, "bk-9", [f]);
  await confirmedHold(app, `bk-9-${NEW}`, [f]);
  const seated = await app.inject({
    method: "POST",
    url: `/api/flights/${f}/seat-assignments`,
    payload: { booking_id: 9, passengers: [{ passenger: 0 }] },
    headers: service,
  });
  t.match(seated.json(), { assignments: [{ passenger: 0, seat: "1A" }] });
  t.same(await seatRows(app.sql, f), [{ seat: "1A", owner: "9:0" }]);
});

t.test("a hold nonce that is not 16 hex digits is refused, naming the field", async (t) => {
  const { app } = await build(t, { auth });
  const [f] = (await seedFlights(app.sql, [{ total: 10 }])) as [number];
  for (const nonce of ["ABCDEF0123456789", "0f1e", "0f1e2d3c4b5a6978:0"]) {
    const post = await app.inject({
      method: "POST",
      url: `/api/flights/${f}/seat-assignments`,
      payload: { booking_id: 9, hold_nonce: nonce, passengers: [{ passenger: 0 }] },
      headers: service,
    });
    t.equal(post.statusCode, 400);
    t.match(post.json(), { error: "validation_error", field: "hold_nonce" });
    const get = await app.inject({
      method: "GET",
      url: `/api/flights/${f}/seat-assignments?booking_id=9&hold_nonce=${encodeURIComponent(nonce)}`,
      headers: service,
    });
    t.match(get.json(), { error: "validation_error", field: "hold_nonce" });
  }
});
