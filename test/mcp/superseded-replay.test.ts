import t, { type Test } from "tap";
import type { ApiAnswer, ApiCall } from "../../mcp/api-client.js";
import { callTool, inMemoryClient } from "../helpers/mcp.js";

// book and change_booking send an Idempotency-Key made of their arguments, and booking-svc replays
// a repeated key's first answer even after the booking moved on. Booking a trip, cancelling it and
// booking it again answered "Booking confirmed." for the cancelled booking; changing A → B → A and
// then to B again answered "Booking changed." to B while the booking stayed on A. A replayed
// success is now checked against the booking as it stands: a lost answer's retry still gets it,
// a superseded one is 409 conflict saying so and how to do it again (a new request_id).

const confirmed = {
  booking_id: 6,
  status: "confirmed",
  total_amount: 100,
  payment_id: "pay_1",
  message: "Booking confirmed.",
};
const change1 = {
  booking_id: 1,
  change_id: 1,
  change_status: "completed",
  status: "confirmed",
  flight_ids: [20],
  date: "2026-12-06",
  total_amount: 120,
  fare_difference: 20,
  fee: 0,
  charged: 20,
  refunded: 0,
  message: "Booking changed.",
};

async function client(t: Test, answers: Record<string, ApiAnswer>, calls: ApiCall[]) {
  const c = await inMemoryClient(t, async (_service, call) => {
    calls.push(call);
    const answer = answers[`${call.method} ${call.path}`];
    if (!answer) throw new Error(`unexpected ${call.method} ${call.path}`);
    return answer;
  });
  return c;
}

const booking = (fields: Record<string, unknown>) => ({ status: 200, body: { booking_id: 6, ...fields } });

t.test("book: a replayed confirmation of a booking since cancelled is refused", async (t) => {
  const calls: ApiCall[] = [];
  const c = await client(
    t,
    {
      "POST /api/bookings": { status: 200, body: confirmed, replayed: true },
      "GET /api/bookings/6": booking({ status: "cancelled" }),
    },
    calls,
  );
  const answer = await callTool(c, "book", { flight_id: 10, seats: 1, date: "2026-12-06" });
  t.match(answer, { isError: true, body: { error: "conflict", booking_id: 6, status: "cancelled" } });
  t.match(answer.body.message, /booking 6, which is now cancelled.*nothing was booked.*new request_id/);
  t.same(
    calls.map((x) => `${x.method} ${x.path}`),
    ["POST /api/bookings", "GET /api/bookings/6"],
  );
});

t.test("book: a replay of a booking still confirmed (a lost answer's retry) is the booking", async (t) => {
  const calls: ApiCall[] = [];
  const c = await client(
    t,
    {
      "POST /api/bookings": { status: 200, body: confirmed, replayed: true },
      "GET /api/bookings/6": booking({ status: "confirmed" }),
    },
    calls,
  );
  t.same(await callTool(c, "book", { flight_id: 10, seats: 1, date: "2026-12-06" }), {
    isError: false,
    body: confirmed,
  });
});

t.test("book: a first answer is not looked at again", async (t) => {
  const calls: ApiCall[] = [];
  const c = await client(t, { "POST /api/bookings": { status: 200, body: confirmed } }, calls);
  t.same(await callTool(c, "book", { flight_id: 10, seats: 1, date: "2026-12-06" }), {
    isError: false,
    body: confirmed,
  });
  t.equal(calls.length, 1, "no second call");
});

t.test("change_booking: a replayed change the booking has moved on from is refused", async (t) => {
  const calls: ApiCall[] = [];
  const c = await client(
    t,
    {
      "POST /api/bookings/1/change": { status: 200, body: change1, replayed: true },
      "GET /api/bookings/1": {
        status: 200,
        body: { booking_id: 1, status: "confirmed", flight_ids: [10], date: "2026-12-06" },
      },
    },
    calls,
  );
  const answer = await callTool(c, "change_booking", { booking_id: 1, flight_ids: [20], date: "2026-12-06" });
  t.match(answer, {
    isError: true,
    body: { error: "conflict", booking_id: 1, change_id: 1, status: "confirmed", flight_ids: [10], date: "2026-12-06" },
  });
  t.match(answer.body.message, /is now confirmed on flights 10 on 2026-12-06, and nothing was changed.*new request_id/);
});

t.test("change_booking: a replay of the change the booking is on (a lost answer's retry) is the change", async (t) => {
  const calls: ApiCall[] = [];
  const c = await client(
    t,
    {
      "POST /api/bookings/1/change": { status: 200, body: change1, replayed: true },
      "GET /api/bookings/1": {
        status: 200,
        body: { booking_id: 1, status: "confirmed", flight_ids: [20], date: "2026-12-06" },
      },
    },
    calls,
  );
  t.same(await callTool(c, "change_booking", { booking_id: 1, flight_ids: [20], date: "2026-12-06" }), {
    isError: false,
    body: change1,
  });
});

t.test("a booking that cannot be read leaves the replay as it came", async (t) => {
  const calls: ApiCall[] = [];
  const c = await client(
    t,
    {
      "POST /api/bookings": { status: 200, body: confirmed, replayed: true },
      "GET /api/bookings/6": { status: 503, body: { error: "service_unavailable", message: "down" } },
    },
    calls,
  );
  t.same(await callTool(c, "book", { flight_id: 10, seats: 1, date: "2026-12-06" }), {
    isError: false,
    body: confirmed,
  });
});

// A replayed failure was the first call's answer as it came: "try again" after a declined payment
// got the same decline for as long as the key lives, no payment attempted, and nothing said so.
t.test("a replayed failure says it is one, and how to try again", async (t) => {
  const calls: ApiCall[] = [];
  const declined = {
    booking_id: 7,
    status: "failed",
    total_amount: 100,
    payment_id: "pay_2",
    message: "The payment was declined (do_not_honor).",
    error: "payment_declined",
  };
  const c = await client(t, { "POST /api/bookings": { status: 402, body: declined, replayed: true } }, calls);
  const answer = await callTool(c, "book", { flight_id: 10, seats: 1, date: "2026-12-06" });
  t.match(answer, { isError: true, body: { ...declined, message: String, replayed: true } });
  t.equal(
    answer.body.message,
    "The payment was declined (do_not_honor). This is the answer to an earlier book call with the same arguments: " +
      "nothing was tried now. To try again, call book with a new request_id.",
  );
  t.equal(calls.length, 1, "the booking is not read again");

  const first = await client(t, { "POST /api/bookings": { status: 402, body: declined } }, []);
  t.same(
    await callTool(first, "book", { flight_id: 10, seats: 1, date: "2026-12-06" }),
    { isError: true, body: declined },
    "a first failure is the API's as it came",
  );
});
