import t from "tap";
import { initialState } from "../../booking-svc/saga/machine.js";
import { bookingResponse } from "../../booking-svc/views.js";
import { requestHash } from "../../lib/request-hash.js";

t.test("a booking's answer: status code by outcome, error and field for failures", async (t) => {
  const s = initialState();
  t.same(bookingResponse(1, 10, { ...s, step: "done", status: "confirmed", paymentId: "p" }), {
    code: 200,
    body: { booking_id: 1, status: "confirmed", total_amount: 10, message: "Booking confirmed.", payment_id: "p" },
  });
  t.equal(bookingResponse(1, 10, s).code, 202);
  t.equal(bookingResponse(1, 10, { ...s, step: "cancel", status: "confirmed", paymentId: "p" }).code, 202);
  t.equal(bookingResponse(1, 10, { ...s, step: "done", status: "cancelled", paymentId: "p" }).code, 200);
  const failures = {
    payment_declined: 402,
    payment_not_completed: 402,
    not_enough_seats: 409,
    flight_cancelled: 409,
    hold_expired: 409,
    validation_error: 400,
    service_unavailable: 503,
  } as const;
  for (const [error, code] of Object.entries(failures)) {
    const failure = { error: error as keyof typeof failures, message: "m", field: "date" };
    const r = bookingResponse(2, 0, { ...s, step: "done", status: "failed", failure });
    t.equal(r.code, code, error);
    t.match(r.body, { status: "failed", error, field: "date", message: "m" });
  }
});

t.test("the request hash ignores key order and absent fields, and sees every value", async (t) => {
  const a = requestHash({ user_id: 1, flight_ids: [2, 3], seats: 1, passengers: [{ name: "A", email: "a@b.c" }] });
  const b = requestHash({
    seats: 1,
    passengers: [{ email: "a@b.c", name: "A" }],
    flight_ids: [2, 3],
    user_id: 1,
    x: undefined,
  });
  t.equal(a, b);
  t.not(a, requestHash({ user_id: 1, flight_ids: [3, 2], seats: 1, passengers: [{ name: "A", email: "a@b.c" }] }));
  t.not(a, requestHash({ user_id: 1, flight_ids: [2, 3], seats: 1, passengers: [{ name: "B", email: "a@b.c" }] }));
  t.notMatch(a, /a@b\.c/);
});
