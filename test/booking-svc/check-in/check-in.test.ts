import t from "tap";
import { startAuth } from "../../helpers/auth.js";
import { assignedInPostgres, bookFor, departingIn, takenSeats } from "../../helpers/check-in.js";
import { head, rawRequest } from "../../helpers/raw-http.js";
import { startSystem } from "../../helpers/system.js";

// Check-in with real tokens, Redis and PostgreSQL: seats picked or asked for, the same passes on
// a repeat, a seat change freeing the old seat, refusals naming the field, cancel freeing seats.

const passengers = ["Asha Rao", "Ravi Rao"];

t.test("seat map, check-in, the same passes again, a seat change, then cancel frees everything", async (t) => {
  const auth = await startAuth(t);
  const sys = await startSystem(t, [departingIn(3, { total: 10 })], { auth });
  const [f] = sys.flightIds as [number];
  const ada = await auth.customer("ada");

  const empty = await sys.flightCall("GET", `/api/flights/${f}/seatmap`);
  t.match(empty, { status: 200, body: { flight_id: f, total_seats: 10, free_seats: 10 } });
  t.same(
    empty.body.rows.map((r: { row: number; seats: { seat: string }[] }) => [r.row, r.seats.map((s) => s.seat)]),
    [
      [1, ["1A", "1B", "1C", "1D", "1E", "1F"]],
      [2, ["2A", "2B", "2C", "2D"]],
    ],
    "rows of six from A, the last row what is left",
  );

  const id = await bookFor(sys, ada, [f], 2, passengers);
  const ref = await sys.refOf(id);
  const first = await sys.bookingCall("POST", `/api/bookings/${id}/check-in`, {}, ada.headers);
  t.equal(first.status, 200);
  const [dep] = await sys.flightsSql<
    { d: Date; n: string }[]
  >`SELECT departure_time AS d, flight_number AS n FROM flights WHERE id = ${f}`;
  const boarding = new Date((dep?.d as Date).getTime() - 30 * 60_000).toISOString();
  t.match(first.body, {
    booking_id: id,
    boarding_passes: [
      {
        boarding_pass_id: `BP-${ref}-${f}-1`,
        passenger: "Asha Rao",
        flight_id: f,
        flight_number: dep?.n,
        seat: "1A",
        sequence: 1,
        boarding_time: boarding,
      },
      { boarding_pass_id: `BP-${ref}-${f}-2`, passenger: "Ravi Rao", flight_id: f, seat: "1B", sequence: 2 },
    ],
  });
  t.same(await takenSeats(sys, f), ["1A", "1B"]);

  const again = await sys.bookingCall("POST", `/api/bookings/${id}/check-in`, {}, ada.headers);
  t.same(again.body, first.body, "a repeated check-in answers the same passes, barcodes and all");
  const read = await sys.bookingCall("GET", `/api/bookings/${id}/boarding-passes`, undefined, ada.headers);
  t.same(read.body, first.body);

  const moved = await sys.bookingCall(
    "POST",
    `/api/bookings/${id}/check-in`,
    { seats: [{ passenger: "Asha Rao", flight_id: f, seat: "2C" }] },
    ada.headers,
  );
  t.match(moved.body.boarding_passes, [
    { passenger: "Asha Rao", seat: "2C", sequence: 1 },
    { passenger: "Ravi Rao", seat: "1B", sequence: 2 },
  ]);
  t.same(await takenSeats(sys, f), ["1B", "2C"], "the old seat is free again");
  t.same(await assignedInPostgres(sys, f), { "1B": `${id}:1`, "2C": `${id}:0` });
  const oldBarcode = first.body.boarding_passes[0].barcode;
  t.match(await sys.bookingCall("POST", "/api/boarding-passes/verify", { barcode: oldBarcode }), {
    status: 200,
    body: { valid: false, reason: "not_current" },
  });
  t.match(
    await sys.bookingCall("POST", "/api/boarding-passes/verify", { barcode: moved.body.boarding_passes[0].barcode }),
    { status: 200, body: { valid: true, boarding_pass: { seat: "2C", passenger: "Asha Rao" } } },
  );

  t.match(await sys.bookingCall("PUT", `/api/bookings/${id}/cancel`, undefined, ada.headers), {
    body: { status: "cancelled" },
  });
  t.same(await takenSeats(sys, f), [], "cancel frees the seats in the seat map");
  t.same(await assignedInPostgres(sys, f), {}, "and in PostgreSQL");
  t.same((await sys.bookingCall("GET", `/api/bookings/${id}/boarding-passes`, undefined, ada.headers)).body, {
    booking_id: id,
    boarding_passes: [],
  });
  t.match(
    await sys.bookingCall("POST", "/api/boarding-passes/verify", { barcode: moved.body.boarding_passes[0].barcode }),
    {
      body: { valid: false, reason: "not_current" },
    },
  );
  t.match(await sys.bookingCall("POST", `/api/bookings/${id}/check-in`, {}, ada.headers), {
    status: 409,
    body: { error: "conflict" },
  });
});

t.test(
  "refusals: a taken seat, a seat or passenger or flight not in the booking, another user's booking",
  async (t) => {
    const auth = await startAuth(t);
    const sys = await startSystem(t, [departingIn(3, { total: 10 }), departingIn(5)], { auth });
    const [f, other] = sys.flightIds as [number, number];
    const ada = await auth.customer("ada");
    const bob = await auth.customer("bob");
    const mine = await bookFor(sys, ada, [f], 1, ["Asha Rao"]);
    const his = await bookFor(sys, bob, [f], 1);
    const path = `/api/bookings/${mine}/check-in`;
    const seat = (s: Record<string, unknown>) => ({
      seats: [{ passenger: "Asha Rao", flight_id: f, seat: "1C", ...s }],
    });

    t.match(await sys.bookingCall("POST", path, seat({ seat: "9Z" }), ada.headers), {
      status: 400,
      body: { error: "validation_error", field: "seats[0].seat" },
    });
    t.match(await sys.bookingCall("POST", path, seat({ seat: "3A" }), ada.headers), {
      status: 400,
      body: {
        error: "validation_error",
        field: "seats[0].seat",
        message: `seats[0].seat is 3A, which does not exist on flight ${f}`,
      },
    });
    t.match(await sys.bookingCall("POST", path, seat({ passenger: "Nobody" }), ada.headers), {
      status: 400,
      body: {
        error: "validation_error",
        field: "seats[0].passenger",
        message: `seats[0].passenger is not a passenger of booking ${mine}`,
      },
    });
    t.match(await sys.bookingCall("POST", path, seat({ flight_id: other }), ada.headers), {
      status: 400,
      body: {
        error: "validation_error",
        field: "seats[0].flight_id",
        message: `seats[0].flight_id is ${other}, which is not a flight of booking ${mine}`,
      },
    });
    t.match(await sys.bookingCall("POST", path, { seats: [], extra: 1 }, ada.headers), {
      status: 400,
      body: { error: "validation_error", field: "extra" },
    });
    t.match(await sys.bookingCall("POST", path, {}, bob.headers), {
      status: 404,
      body: { error: "booking_not_found" },
    });
    t.match(await sys.bookingCall("GET", `/api/bookings/${mine}/boarding-passes`, undefined, bob.headers), {
      status: 404,
    });
    t.match(await sys.bookingCall("POST", path, {}), { status: 401 });

    const bobs = await sys.bookingCall(
      "POST",
      `/api/bookings/${his}/check-in`,
      { seats: [{ passenger: "Passenger 1", flight_id: f, seat: "1C" }] },
      bob.headers,
    );
    t.match(bobs.body.boarding_passes, [{ passenger: "Passenger 1", seat: "1C" }], "a booking without names");
    t.match(await sys.bookingCall("POST", path, seat({}), ada.headers), {
      status: 409,
      body: { error: "seat_taken", flight_id: f, seat: "1C" },
    });
    t.same(await takenSeats(sys, f), ["1C"], "the refused check-in took nothing");
  },
);

t.test(
  "two passengers of one name: each has a seat by passenger_number; the name alone is refused, naming the field",
  async (t) => {
    const auth = await startAuth(t);
    const sys = await startSystem(t, [departingIn(3, { total: 10 })], { auth });
    const [f] = sys.flightIds as [number];
    const ada = await auth.customer("ada");
    const id = await bookFor(sys, ada, [f], 2, ["Sam Lee", "Sam Lee"]);
    const ref = await sys.refOf(id);
    const path = `/api/bookings/${id}/check-in`;
    const ask = async (...seats: Record<string, unknown>[]) => {
      const r = await sys.bookingCall("POST", path, { seats }, ada.headers);
      return { status: r.status, body: r.body };
    };
    const refusal = (field: string, message: string) => ({
      status: 400,
      body: { error: "validation_error", message, field },
    });

    t.same(
      await ask({ passenger: "Sam Lee", flight_id: f, seat: "1C" }),
      refusal(
        "seats[0].passenger",
        `seats[0].passenger names 2 passengers of booking ${id}: give passenger_number (their place, from 1) instead`,
      ),
    );
    t.same(
      await ask({ passenger: "Passenger 2", flight_id: f, seat: "1C" }),
      refusal("seats[0].passenger", `seats[0].passenger is not a passenger of booking ${id}`),
    );
    t.same(
      await ask({ passenger_number: 3, flight_id: f, seat: "1C" }),
      refusal("seats[0].passenger_number", `seats[0].passenger_number is 3, but booking ${id} has 2 passengers`),
    );
    t.same(
      await ask({ passenger: "Sam Lee", passenger_number: 1, flight_id: f, seat: "1C" }),
      refusal(
        "seats[0].passenger_number",
        "seats[0].passenger_number and seats[0].passenger both name a passenger: give one of them",
      ),
    );
    t.same(
      await ask({ flight_id: f, seat: "1C" }),
      refusal(
        "seats[0].passenger",
        "seats[0].passenger is required: the name as booked, or passenger_number for the passenger's place (from 1)",
      ),
    );
    t.same(await takenSeats(sys, f), [], "nothing taken by the refusals");

    const both = await ask(
      { passenger_number: 2, flight_id: f, seat: "2A" },
      { passenger_number: 1, flight_id: f, seat: "1C" },
    );
    t.equal(both.status, 200);
    t.match(both.body.boarding_passes, [
      { boarding_pass_id: `BP-${ref}-${f}-1`, passenger: "Sam Lee", seat: "1C" },
      { boarding_pass_id: `BP-${ref}-${f}-2`, passenger: "Sam Lee", seat: "2A" },
    ]);
    t.same(await assignedInPostgres(sys, f), { "1C": `${id}:0`, "2A": `${id}:1` });
    t.same(
      await ask({ passenger_number: 2, flight_id: f, seat: "2B" }, { passenger_number: 2, flight_id: f, seat: "2C" }),
      refusal(
        "seats[1].passenger_number",
        `seats[1].passenger_number names a passenger whose seat on flight ${f} is asked for already`,
      ),
    );
  },
);

t.test(
  "the body is optional: none, an empty one and {} check in every open leg; unknown fields are refused",
  async (t) => {
    const auth = await startAuth(t);
    const sys = await startSystem(t, [departingIn(3, { total: 10 })], { auth });
    const [f] = sys.flightIds as [number];
    const ada = await auth.customer("ada");
    const id = await bookFor(sys, ada, [f], 1, ["Asha Rao"]);
    const path = `/api/bookings/${id}/check-in`;
    const unknown = await sys.bookingCall("POST", path, { seat: "1A" }, ada.headers);
    t.same(
      { status: unknown.status, body: unknown.body },
      { status: 400, body: { error: "validation_error", message: "seat is not allowed", field: "seat" } },
    );
    t.same(await takenSeats(sys, f), [], "nothing checked in");

    const none = await sys.bookingCall("POST", path, undefined, ada.headers);
    t.equal(none.status, 200, "no body at all");
    t.match(none.body.boarding_passes, [{ passenger: "Asha Rao", flight_id: f, seat: "1A" }]);
    const port = Number(new URL(sys.bookingUrl).port);
    const headers = { ...ada.headers, "content-type": "application/json", "content-length": 0 };
    const empty = await rawRequest(port, head("POST", path, headers));
    t.equal(empty.status, 200, "an empty body with a JSON type");
    t.same(empty.json, none.body, "the same passes");
    t.same((await sys.bookingCall("POST", path, {}, ada.headers)).body, none.body, "{}");
  },
);

t.test("flight-svc's own rules: assigned seats never exceed the booking's confirmed seats", async (t) => {
  const auth = await startAuth(t);
  const sys = await startSystem(t, [departingIn(3, { total: 10 })], { auth });
  const [f] = sys.flightIds as [number];
  const ada = await auth.customer("ada");
  const service = await auth.service();
  const id = await bookFor(sys, ada, [f], 1);
  const hold_nonce = (await sys.refOf(id)).split("-")[1];
  const assign = (body: object, headers = service.headers) =>
    sys.flightCall("POST", `/api/flights/${f}/seat-assignments`, { hold_nonce, ...body }, headers);

  t.match(await assign({ booking_id: id, passengers: [{ passenger: 1 }] }), {
    status: 400,
    body: { error: "validation_error", field: "passengers[0].seat", message: /1 passengers/ },
  });
  t.match(await assign({ booking_id: id + 100, passengers: [{ passenger: 0 }] }), {
    status: 409,
    body: { error: "not_checked_in" },
  });
  t.match(await assign({ booking_id: id, passengers: [{ passenger: 0 }] }, ada.headers), { status: 403 });
  t.match(await assign({ booking_id: id, passengers: [{ passenger: 0, seat: "1F" }] }), {
    status: 200,
    body: { flight_id: f, booking_id: id, assignments: [{ passenger: 0, seat: "1F", sequence: 1 }] },
  });
  const [count] = await sys.flightsSql<{ n: number }[]>`SELECT count(*)::int AS n FROM seat_assignments`;
  t.equal(count?.n, 1);
});

t.test("flight-svc away: check-in and boarding passes answer 503, and a retry once it is back checks in", async (t) => {
  const auth = await startAuth(t);
  const sys = await startSystem(t, [departingIn(3, { total: 10 })], { auth, env: { FLIGHT_TIMEOUT_MS: "500" } });
  const [f] = sys.flightIds as [number];
  const bo = await auth.customer("bo-lee");
  const id = await bookFor(sys, bo, [f], 1, ["Bo Lee"]);

  await sys.stopFlight();
  const away = await sys.bookingCall("POST", `/api/bookings/${id}/check-in`, {}, bo.headers);
  t.match(away, {
    status: 503,
    body: { error: "service_unavailable", message: /^The flight service did not answer;/ },
  });
  const passes = await sys.bookingCall("GET", `/api/bookings/${id}/boarding-passes`, undefined, bo.headers);
  t.match(passes, { status: 503, body: { error: "service_unavailable" } });
  await sys.startFlight();

  const back = await sys.bookingCall("POST", `/api/bookings/${id}/check-in`, {}, bo.headers);
  t.match(back, { status: 200, body: { boarding_passes: [{ passenger: "Bo Lee", seat: "1A" }] } });
});

t.test("flight-svc answering 500 to a check-in: a 503 that says it failed, not that it did not answer", async (t) => {
  const auth = await startAuth(t);
  const sys = await startSystem(t, [departingIn(3, { total: 10 })], { auth });
  const [f] = sys.flightIds as [number];
  const bo = await auth.customer("bo-lee");
  const id = await bookFor(sys, bo, [f], 1, ["Bo Lee"]);
  // A failing insert of flight-svc's own (a constraint, a full disk): it answers, with a 500.
  await sys.flightsSql.unsafe(`
    DROP FUNCTION IF EXISTS refuse_seat() CASCADE;
    CREATE FUNCTION refuse_seat() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'seat insert refused'; END $$;
    CREATE TRIGGER refuse_seat BEFORE INSERT ON seat_assignments FOR EACH ROW EXECUTE FUNCTION refuse_seat();`);
  const unfail = () => sys.flightsSql.unsafe("DROP FUNCTION IF EXISTS refuse_seat() CASCADE");
  t.teardown(unfail);

  const failed = await sys.bookingCall("POST", `/api/bookings/${id}/check-in`, {}, bo.headers);
  t.match(failed, {
    status: 503,
    headers: { "retry-after": /^\d+$/ },
    body: { error: "service_unavailable", message: /^The flight service failed \(HTTP 500\); try again/ },
  });
  await unfail();
  const back = await sys.bookingCall("POST", `/api/bookings/${id}/check-in`, {}, bo.headers);
  t.match(back, { status: 200, body: { boarding_passes: [{ passenger: "Bo Lee", seat: "1A" }] } });
});

t.test(
  "a delay re-times the passes: the pass issued before it still stands at the gate, with the new times",
  async (t) => {
    const auth = await startAuth(t);
    const sys = await startSystem(t, [departingIn(3, { total: 10 })], { auth });
    const [f] = sys.flightIds as [number];
    const cy = await auth.customer("cy-ong");
    const admin = await auth.admin();
    const id = await bookFor(sys, cy, [f], 1, ["Cy Ong"]);
    const issued = (await sys.bookingCall("POST", `/api/bookings/${id}/check-in`, {}, cy.headers)).body
      .boarding_passes[0];

    const [dep] = await sys.flightsSql<{ d: Date }[]>`SELECT departure_time AS d FROM flights WHERE id = ${f}`;
    const later = new Date(Math.ceil((dep?.d as Date).getTime() / 60_000) * 60_000 + 60 * 60_000);
    const delayed = await sys.flightCall(
      "PATCH",
      `/api/flights/${f}`,
      {
        status: "delayed",
        departure_time: later.toISOString(),
        arrival_time: new Date(later.getTime() + 2 * 3_600_000).toISOString(),
      },
      admin.headers,
    );
    t.equal(delayed.status, 200);
    const boarding = new Date(later.getTime() - 30 * 60_000).toISOString();
    const now = (await sys.bookingCall("GET", `/api/bookings/${id}/boarding-passes`, undefined, cy.headers)).body;
    t.match(now.boarding_passes, [{ seat: issued.seat, sequence: issued.sequence, boarding_time: boarding }]);
    t.not(now.boarding_passes[0].barcode, issued.barcode, "the pass carries the new times");

    t.match(await sys.bookingCall("POST", "/api/boarding-passes/verify", { barcode: issued.barcode }), {
      status: 200,
      body: { valid: true, boarding_pass: { seat: issued.seat, boarding_time: boarding } },
    });
    await sys.bookingCall(
      "POST",
      `/api/bookings/${id}/check-in`,
      { seats: [{ passenger: "Cy Ong", flight_id: f, seat: "2D" }] },
      cy.headers,
    );
    t.match(await sys.bookingCall("POST", "/api/boarding-passes/verify", { barcode: issued.barcode }), {
      body: { valid: false, reason: "not_current" },
    });
  },
);

t.test("a booking that outlives its flight's cancellation gets no pass for it", async (t) => {
  const auth = await startAuth(t);
  const sys = await startSystem(t, [departingIn(3, { total: 10 })], { auth });
  const [f] = sys.flightIds as [number];
  const di = await auth.customer("di-ma");
  const admin = await auth.admin();
  const id = await bookFor(sys, di, [f], 1, ["Di Ma"]);
  // Flown on an earlier leg (as the flown job marks it), the booking is no longer cancelled with its flight.
  await sys.bookingsSql`UPDATE bookings SET flown_at = now() WHERE id = ${id}`;
  t.equal((await sys.flightCall("PATCH", `/api/flights/${f}`, { status: "cancelled" }, admin.headers)).status, 200);

  const refused = { status: 409, body: { error: "flight_cancelled", booking_id: id, flight_id: f } };
  t.match(await sys.bookingCall("POST", `/api/bookings/${id}/check-in`, {}, di.headers), refused);
  const asked = { seats: [{ passenger: "Di Ma", flight_id: f, seat: "2D" }] };
  t.match(await sys.bookingCall("POST", `/api/bookings/${id}/check-in`, asked, di.headers), refused);
  t.same((await sys.bookingCall("GET", `/api/bookings/${id}/boarding-passes`, undefined, di.headers)).body, {
    booking_id: id,
    boarding_passes: [],
  });
});

t.test("a check-in racing a cut of total_seats: 400 naming the seat the cabin lost, nobody seated there", async (t) => {
  const auth = await startAuth(t);
  const sys = await startSystem(t, [departingIn(3, { total: 180 })], { auth });
  const [f] = sys.flightIds as [number];
  const ed = await auth.customer("ed-wu");
  const admin = await auth.admin();
  const id = await bookFor(sys, ed, [f], 1, ["Ed Wu"]);
  // The cut to 144 seats commits after booking-svc read the flight, before flight-svc seats anyone.
  const seating = sys.flight.inventory.seating;
  const assign = seating.assignLegs.bind(seating);
  let cut: number | undefined;
  seating.assignLegs = async (...args) => {
    cut ??= (await sys.flightCall("PATCH", `/api/flights/${f}`, { total_seats: 144 }, admin.headers)).status;
    return assign(...args);
  };

  const asked = { seats: [{ passenger: "Ed Wu", flight_id: f, seat: "25F" }] };
  const res = await sys.bookingCall("POST", `/api/bookings/${id}/check-in`, asked, ed.headers);
  t.equal(cut, 200);
  t.same(
    { status: res.status, body: res.body },
    {
      status: 400,
      body: {
        error: "validation_error",
        message: `seats[0].seat is 25F, which does not exist on flight ${f}`,
        field: "seats[0].seat",
      },
    },
  );
  t.same(await assignedInPostgres(sys, f), {}, "nobody sits outside the cabin");
  t.same(await takenSeats(sys, f), []);
});

t.test("two passengers of one booking swap seats in one check-in", async (t) => {
  const auth = await startAuth(t);
  const sys = await startSystem(t, [departingIn(3, { total: 10 })], { auth });
  const [f] = sys.flightIds as [number];
  const ada = await auth.customer("ada");
  const id = await bookFor(sys, ada, [f], 2, passengers);
  const path = `/api/bookings/${id}/check-in`;
  const first = await sys.bookingCall("POST", path, {}, ada.headers);
  t.match(first.body.boarding_passes, [
    { passenger: "Asha Rao", seat: "1A", sequence: 1 },
    { passenger: "Ravi Rao", seat: "1B", sequence: 2 },
  ]);

  const swap = {
    seats: [
      { passenger: "Asha Rao", flight_id: f, seat: "1B" },
      { passenger: "Ravi Rao", flight_id: f, seat: "1A" },
    ],
  };
  const swapped = await sys.bookingCall("POST", path, swap, ada.headers);
  t.equal(swapped.status, 200);
  t.match(swapped.body.boarding_passes, [
    { passenger: "Asha Rao", seat: "1B", sequence: 1 },
    { passenger: "Ravi Rao", seat: "1A", sequence: 2 },
  ]);
  t.same(await assignedInPostgres(sys, f), { "1A": `${id}:1`, "1B": `${id}:0` });
  t.same(await takenSeats(sys, f), ["1A", "1B"]);
  for (const pass of first.body.boarding_passes) {
    t.match(await sys.bookingCall("POST", "/api/boarding-passes/verify", { barcode: pass.barcode }), {
      body: { valid: false, reason: "not_current" },
    });
  }
  t.same((await sys.bookingCall("POST", path, swap, ada.headers)).body, swapped.body, "asked again: the same passes");
});
