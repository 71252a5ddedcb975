import t from "tap";
import { ChangeResult } from "../../booking-svc/change/change-schemas.js";
import { BoardingPasses, CheckInBody } from "../../booking-svc/check-in/schemas.js";
import { SeatMap } from "../../contracts/flight-svc/seats.js";
import { StatementReply } from "../../user-svc/loyalty/schemas.js";
import { startAuth } from "../helpers/auth.js";
import { book, changeSystem, DAY, FEE, seatsOf } from "../helpers/change-system.js";
import { bookFor, departingIn, takenSeats } from "../helpers/check-in.js";
import { callTool, connect, mcpEnv, startMcpHttp } from "../helpers/mcp.js";
import { call, startSystem } from "../helpers/system.js";

// The tools over a trip after booking (seat map, check-in, boarding passes, change, loyalty)
// through the SDK's client, whose output check holds every answer to the route's own schema:
// each does what the REST API shows, and each refuses with the API's code.

const passengers = ["Asha Rao", "Ravi Rao"];

t.test("seat map, check-in with a chosen seat, boarding passes; another user's booking is absent", async (t) => {
  const auth = await startAuth(t);
  const sys = await startSystem(t, [departingIn(3, { total: 10 }), departingIn(30, { total: 10 })], { auth });
  const [f, later] = sys.flightIds as [number, number];
  const ada = await auth.customer("ada");
  const bob = await auth.customer("bob");
  const client = await connect(t, {
    transport: "http",
    http: await startMcpHttp(t, mcpEnv(sys, auth)),
    token: ada.token,
  });

  const listed = new Map((await client.listTools()).tools.map((tool) => [tool.name, tool]));
  const plain = (schema: object) => JSON.parse(JSON.stringify(schema));
  for (const [name, schema] of [
    ["get_seatmap", SeatMap],
    ["change_booking", ChangeResult],
    ["check_in", BoardingPasses],
    ["get_boarding_passes", BoardingPasses],
    ["loyalty_balance", StatementReply],
  ] as const) {
    t.same(listed.get(name)?.outputSchema, plain(schema), `${name} announces the route's answer`);
  }
  t.same(listed.get("check_in")?.inputSchema.properties?.seats, plain(CheckInBody.properties.seats));

  const empty = await callTool(client, "get_seatmap", { flight_id: f });
  t.match(empty, { isError: false, body: { flight_id: f, total_seats: 10, free_seats: 10 } });
  t.same(
    empty.body.rows.map((r: { row: number; seats: { seat: string }[] }) => [r.row, r.seats.map((s) => s.seat)]),
    [
      [1, ["1A", "1B", "1C", "1D", "1E", "1F"]],
      [2, ["2A", "2B", "2C", "2D"]],
    ],
  );

  const id = await bookFor(sys, ada, [f], 2, passengers);
  const ref = await sys.refOf(id);
  const checked = await callTool(client, "check_in", {
    booking_id: id,
    seats: [{ passenger: "Ravi Rao", flight_id: f, seat: "2C" }],
  });
  t.match(checked, {
    isError: false,
    body: {
      booking_id: id,
      boarding_passes: [
        { boarding_pass_id: `BP-${ref}-${f}-1`, passenger: "Asha Rao", flight_id: f, seat: "1A", barcode: /^SB1\./ },
        { boarding_pass_id: `BP-${ref}-${f}-2`, passenger: "Ravi Rao", flight_id: f, seat: "2C" },
      ],
    },
  });
  t.same(await takenSeats(sys, f), ["1A", "2C"], "the seats are taken in flight-svc");
  t.match(await callTool(client, "get_seatmap", { flight_id: f }), { body: { free_seats: 8 } });

  const passes = await callTool(client, "get_boarding_passes", { booking_id: id });
  t.same(passes, { isError: false, body: checked.body }, "the passes as check-in gave them");
  const rest = await sys.bookingCall("GET", `/api/bookings/${id}/boarding-passes`, undefined, ada.headers);
  t.same(rest.body, passes.body, "and as the REST API shows them");

  const bobs = await bookFor(sys, bob, [f]);
  await sys.bookingCall("POST", `/api/bookings/${bobs}/check-in`, {}, bob.headers);
  const absent = { isError: true, body: { error: "booking_not_found", message: `Booking ${bobs} was not found.` } };
  t.match(await callTool(client, "check_in", { booking_id: bobs }), absent, "another user's booking is absent");
  t.match(await callTool(client, "get_boarding_passes", { booking_id: bobs }), absent);

  const bobSeat = (await takenSeats(sys, f)).find((s) => s !== "1A" && s !== "2C") as string;
  t.match(
    await callTool(client, "check_in", {
      booking_id: id,
      seats: [{ passenger: "Asha Rao", flight_id: f, seat: bobSeat }],
    }),
    { isError: true, body: { error: "seat_taken", seat: bobSeat, flight_id: f } },
  );
  t.match(
    await callTool(client, "check_in", {
      booking_id: id,
      seats: [{ passenger: "Asha Rao", flight_id: f, seat: "2G" }],
    }),
    { isError: true, body: { error: "validation_error", field: "seats[0].seat" } },
    "a seat label the layout cannot have is refused before any call",
  );
  const early = await bookFor(sys, ada, [later]);
  t.match(await callTool(client, "check_in", { booking_id: early }), {
    isError: true,
    body: { error: "checkin_not_open", flight_id: later, opens_at: /Z$/ },
  });
  t.match(await callTool(client, "get_seatmap", { flight_id: 999_999 }), {
    isError: true,
    body: { error: "flight_not_found" },
  });
});

t.test("change a booking: charged the difference and the fee, once for a retried call", async (t) => {
  const { sys, auth, ada, f } = await changeSystem(t);
  const bob = await auth.customer("bob");
  const client = await connect(t, {
    transport: "http",
    http: await startMcpHttp(t, mcpEnv(sys, auth)),
    token: ada.token,
  });
  const id = await book(sys, ada, f.base);

  const move = { booking_id: id, flight_ids: [f.dearer], date: DAY };
  const changed = await callTool(client, "change_booking", move);
  t.match(changed, {
    isError: false,
    body: {
      booking_id: id,
      change_status: "completed",
      status: "confirmed",
      flight_ids: [f.dearer],
      total_amount: 14000,
      fare_difference: 4000,
      fee: FEE,
      charged: 4250,
      refunded: 0,
    },
  });
  const retried = await callTool(client, "change_booking", move);
  t.same(retried, changed, "the retry is the first change");
  t.match(await sys.bookingCall("GET", `/api/bookings/${id}`, undefined, ada.headers), {
    body: {
      flight_ids: [f.dearer],
      changes: [{ from_flight_ids: [f.base], to_flight_ids: [f.dearer], charged: 4250 }],
    },
  });
  t.equal((await sys.bookingCall("GET", `/api/bookings/${id}`, undefined, ada.headers)).body.changes.length, 1);
  t.equal(await seatsOf(sys, f.dearer), 2);
  t.equal(await seatsOf(sys, f.base), 0);

  t.match(await callTool(client, "change_booking", { booking_id: id, flight_ids: [f.full], date: DAY }), {
    isError: true,
    body: { error: "not_enough_seats" },
  });
  const bobs = await book(sys, bob, f.base, 1);
  t.match(await callTool(client, "change_booking", { booking_id: bobs, flight_ids: [f.cheaper], date: DAY }), {
    isError: true,
    body: { error: "booking_not_found", message: `Booking ${bobs} was not found.` },
  });
  t.match(await callTool(client, "change_booking", { booking_id: id, flight_ids: [], date: DAY }), {
    isError: true,
    body: { error: "validation_error", field: "flight_ids" },
  });
  t.equal(await seatsOf(sys, f.base), 1, "bob's booking kept its seat");
});

t.test("loyalty balance: the statement user-svc keeps, paged", async (t) => {
  const auth = await startAuth(t);
  const sys = await startSystem(t, [{ total: 10 }], { auth });
  const ada = await auth.customer("ada");
  const admin = await auth.admin();
  const client = await connect(t, {
    transport: "http",
    http: await startMcpHttp(t, mcpEnv(sys, auth)),
    token: ada.token,
  });

  t.match(await callTool(client, "loyalty_balance"), {
    isError: false,
    body: { balance: 0, entries: [], next_cursor: null },
  });
  for (const [miles, reason] of [
    [700, "welcome"],
    [-200, "correction"],
  ] as const) {
    const made = await call(auth.url, "POST", `/api/loyalty/${ada.userId}/adjust`, { miles, reason }, admin.headers);
    t.equal(made.status, 201);
  }
  const all = await callTool(client, "loyalty_balance");
  t.match(all, {
    isError: false,
    body: {
      balance: 500,
      tier: String,
      entries: [
        { kind: "adjust", miles: -200 },
        { kind: "adjust", miles: 700 },
      ],
    },
  });
  const rest = await call(auth.url, "GET", "/api/loyalty/me", undefined, ada.headers);
  t.same(all.body, rest.body, "what the REST API shows");

  const first = await callTool(client, "loyalty_balance", { limit: 1 });
  t.match(first.body, { entries: [{ miles: -200 }], next_cursor: String });
  const second = await callTool(client, "loyalty_balance", { limit: 1, cursor: first.body.next_cursor });
  t.match(second.body, { entries: [{ miles: 700 }] });
  t.match(await callTool(client, "loyalty_balance", { limit: 0 }), {
    isError: true,
    body: { error: "validation_error", field: "limit" },
  });
});
