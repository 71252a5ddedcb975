import t from "tap";
import { fileAuth } from "../../helpers/auth.js";
import { bookAtOnce, startSystem, waitFor } from "../../helpers/system.js";

// 300 bookings of one seat at the same moment on a 50-seat flight: the holds decide, exactly
// 50 are confirmed and paid for, the other 250 fail with no seat held and no money kept. A
// declined booking gives its seat back after its payment; when every other request was refused
// before that, the seat is sold by the bookings made after the burst.
t.test("300 concurrent bookings on a 50-seat flight: exactly 50 confirmed", async (t) => {
  const auth = await fileAuth();
  const sys = await startSystem(t, [{ total: 50, price: 1234.56 }], {
    auth,
    // Some declines too, so that compensation runs under contention as well.
    env: {
      PAYMENT_FAILURE_RATE: "0.1",
      PAYMENT_SEED: "7",
      PAYMENT_LATENCY_MIN_MS: "0",
      PAYMENT_LATENCY_MAX_MS: "20",
      // Deadlines far above what 300 requests at once take on two busy cores.
      FLIGHT_TIMEOUT_MS: "3000",
      PAYMENT_TIMEOUT_MS: "2000",
      BOOKING_PENDING_DEADLINE_SECONDS: "12",
    },
  });
  const [id] = sys.flightIds as [number];
  const customers = await Promise.all(["ada", "bob", "cyd"].map((name) => auth.customer(name)));
  const replies = await bookAtOnce(
    sys,
    300,
    { flight_id: id, seats: 1, date: "2024-02-15" },
    (i) => customers[i % customers.length]?.headers,
  );
  const byStatus = new Map<number, number>();
  for (const r of replies) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
  t.ok(
    replies.every((r) => [200, 202, 402, 409].includes(r.status)),
    `confirmed, pending, declined or no seat: ${JSON.stringify([...byStatus])}`,
  );
  t.ok(
    replies
      .filter((r) => r.status === 409)
      .every((r) => r.body.error === "not_enough_seats" && r.body.status === "failed"),
  );
  // Were the machine slow enough for a deadline to pass (202), the sweeper settles the rest.
  await waitFor(async () => {
    const [r] = await sys.bookingsSql<{ n: number }[]>`SELECT count(*)::int AS n FROM bookings WHERE step <> 'done'`;
    return r!.n === 0;
  }, 20_000);
  const confirmed = async () => {
    const [r] = await sys.bookingsSql<
      { n: number }[]
    >`SELECT count(*)::int AS n FROM bookings WHERE status = 'confirmed'`;
    return r!.n;
  };
  t.ok((await confirmed()) <= 50, "never more than 50 confirmed");
  const after: number[] = [];
  for (let i = 0; i < 40 && (await confirmed()) < 50; i++) {
    after.push(
      (
        await sys.bookingCall(
          "POST",
          "/api/bookings",
          { flight_id: id, seats: 1, date: "2024-02-15" },
          customers[0]?.headers,
        )
      ).status,
    );
  }
  t.ok(
    after.every((s) => s === 200 || s === 402),
    `each seat the burst left is sold again (confirmed or declined): ${after.join(", ")}`,
  );
  const confirmedIds = (
    await sys.bookingsSql<{ id: number }[]>`SELECT id::int FROM bookings WHERE status = 'confirmed'`
  ).map((r) => r.id);
  t.equal(confirmedIds.length, 50, "exactly 50 confirmed");
  const answered = replies.filter((r) => r.status === 200).map((r) => r.body.booking_id);
  t.ok(
    answered.every((id) => confirmedIds.includes(id)),
    "every 200 is a confirmed booking",
  );

  const flight = await sys.flightCall("GET", `/api/flights/${id}`);
  t.match(flight.body, { available_seats: 0, booked_seats: 50, total_seats: 50 });
  const [db] = await sys.flightsSql<{ booked_seats: number }[]>`SELECT booked_seats FROM flights WHERE id = ${id}`;
  t.equal(db!.booked_seats, 50);

  const stats = (await sys.paymentCall("GET", "/api/payments/stats", undefined, (await auth.admin()).headers)).body;
  t.equal(stats.success.count - stats.refunds.count, 50, "successful payments − refunds = confirmed bookings");
  t.equal(stats.net_amount, 50 * 1234.56);
  const [rows] = await sys.bookingsSql<{ confirmed: number; unfinished: number }[]>`
    SELECT count(*) FILTER (WHERE status = 'confirmed')::int AS confirmed,
           count(*) FILTER (WHERE step <> 'done')::int AS unfinished FROM bookings`;
  t.same(rows, { confirmed: 50, unfinished: 0 });
});
