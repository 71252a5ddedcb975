import type autocannon from "autocannon";
import t from "tap";
import type { Account } from "../../stress/accounts.js";
import { createRng } from "../../stress/rng.js";
import { BookingTraffic } from "../../stress/scenarios/booking-traffic.js";

const account = (userId: number): Account => ({
  username: `u${userId}`,
  userId,
  authorization: `Bearer token-${userId}`,
  refreshToken: "",
  expiresInSeconds: 900,
});

// A booking's answer names no user (`{booking_id, status, total_amount, …}`): the scenarios that
// cancel confirmed bookings (mixed, failover, loyalty, chaos) found no account for any of them and
// never sent a cancellation, from 706eba5 on.
t.test("a confirmed booking is offered for cancellation, with its own customer's token", async (t) => {
  const customers = [account(11), account(12), account(13)];
  const traffic = new BookingTraffic(createRng(1), customers, [{ flightIds: [5], date: "2024-02-15" }], 1, {
    maxSeats: 1,
    retryShare: 0,
    collectConfirmed: true,
  });
  const req = {} as autocannon.Request;
  const ctx = {};
  t.equal(traffic.cancel(req, ctx), null, "nothing to cancel before a booking is confirmed");

  const booked = traffic.book(req, ctx);
  const owner = customers.find((c) => booked.headers?.authorization === c.authorization) as Account;
  t.ok(owner, "the booking is sent with a customer's token");
  traffic.answer(
    200,
    JSON.stringify({ booking_id: 77, status: "confirmed", total_amount: 10, message: "ok" }),
    ctx,
    {},
  );

  const other = {};
  const cancel = traffic.cancel(req, other);
  t.match(cancel, { method: "PUT", path: "/api/bookings/77/cancel", headers: { authorization: owner.authorization } });
  traffic.answer(
    200,
    JSON.stringify({ booking_id: 77, status: "cancelled", total_amount: 10, message: "ok" }),
    other,
    {},
  );
  t.same(traffic.outcomes, { "booking confirmed": 1, "cancel cancelled": 1 });
  t.equal(traffic.cancel(req, {}), null, "each confirmed booking is cancelled once");
});
