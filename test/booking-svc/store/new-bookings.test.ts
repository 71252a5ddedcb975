import { randomUUID } from "node:crypto";
import t from "tap";
import { newHoldNonce } from "../../../booking-svc/hold-ids.js";
import { initialState, type SagaState } from "../../../booking-svc/saga/machine.js";
import { BookingIds } from "../../../booking-svc/store/booking-ids.js";
import { BookingsRepo } from "../../../booking-svc/store/bookings-repo.js";
import { NewBookings } from "../../../booking-svc/store/new-bookings.js";
import { createSql } from "../../../lib/postgres-plugin.js";
import { testBookingConfig } from "../../helpers/config.js";

// Bookings written together: each row and its legs as one insert would write them, each caller
// given its own row back, and a row whose Idempotency-Key another row holds left out (and told so).

const failed: SagaState = {
  ...initialState(),
  step: "done",
  status: "failed",
  failure: { error: "not_enough_seats", message: "Not enough seats on flight 7 (0 left)." },
};

t.test("refusals arriving together are written in groups, each with its legs; a taken key is refused", async (t) => {
  const sql = createSql(testBookingConfig().bookingsDatabaseUrl, 4);
  t.teardown(() => sql.end());
  const repo = new BookingsRepo(sql);
  const ids = new BookingIds(sql);
  const rows = new NewBookings(repo);
  // Keys of this run only: the file's database keeps the rows of earlier runs.
  const [k1, k4] = [`k1-${randomUUID()}`, `k4-${randomUUID()}`];
  const row = async (userId: number, key: string | null) => ({
    id: await ids.next(),
    holdNonce: newHoldNonce(),
    userId,
    seats: 2,
    travelDate: "2024-02-15",
    paymentType: "credit_card",
    totalAmount: 0,
    legs: [
      { flight_id: 7, price: 0 },
      { flight_id: 8, price: 0 },
    ],
    passengers: [],
    idempotencyKey: key,
    requestHash: key && "h",
    requestId: null,
    state: failed,
    leaseSeconds: 30,
  });
  const first = await row(1, k1);
  t.match(await rows.add(first), { id: first.id, userId: 1, idempotencyKey: k1 });
  const many = await Promise.all([row(2, null), row(3, null), row(1, k1), row(4, k4)]);
  const written = await Promise.all(many.map((r) => rows.add(r)));
  t.same(
    written.map((w) => w?.id ?? null),
    [many[0]!.id, many[1]!.id, null, many[3]!.id],
  );
  const stored = await repo.get(many[0]!.id);
  t.match(stored, {
    id: many[0]!.id,
    userId: 2,
    status: "failed",
    step: "done",
    errorCode: "not_enough_seats",
    failureMessage: "Not enough seats on flight 7 (0 left).",
    holdId: `bk-${many[0]!.id}-${many[0]!.holdNonce}`,
    holdNonce: many[0]!.holdNonce,
    legs: [
      { flight_id: 7, price: 0 },
      { flight_id: 8, price: 0 },
    ],
  });
  t.equal(await repo.get(many[2]!.id), null, "the taken key's row was not written");
  t.equal((await repo.getByIdempotencyKey(1, k1))?.id, first.id);
});

t.test("a live booking's row comes back as written, past its hold, with its lease", async (t) => {
  const sql = createSql(testBookingConfig().bookingsDatabaseUrl, 2);
  t.teardown(() => sql.end());
  const repo = new BookingsRepo(sql);
  const id = await new BookingIds(sql).next();
  const written = await new NewBookings(repo).add({
    id,
    holdNonce: newHoldNonce(),
    userId: 5,
    seats: 1,
    travelDate: "2024-02-15",
    paymentType: "credit_card",
    totalAmount: 4500,
    legs: [{ flight_id: 9, price: 4500 }],
    passengers: [{ name: "A Traveller", email: "a@example.com" }],
    idempotencyKey: null,
    requestHash: null,
    requestId: "req-live",
    state: { ...initialState(), step: "pay" },
    leaseSeconds: 60,
  });
  t.match(written, {
    id,
    status: "pending",
    step: "pay",
    totalAmount: 4500,
    travelDate: "2024-02-15",
    requestId: "req-live",
    legs: [{ flight_id: 9, price: 4500 }],
  });
  t.same(written, await repo.get(id), "the row returned is the row stored");
  t.ok((written?.leaseUntil.getTime() ?? 0) > Date.now(), "leased to the request");
});
