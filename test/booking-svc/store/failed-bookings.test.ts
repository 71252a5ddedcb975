import { randomUUID } from "node:crypto";
import t from "tap";
import { initialState, type SagaState } from "../../../booking-svc/saga/machine.js";
import { BookingIds } from "../../../booking-svc/store/booking-ids.js";
import { BookingsRepo } from "../../../booking-svc/store/bookings-repo.js";
import { FailedBookings } from "../../../booking-svc/store/failed-bookings.js";
import { createSql } from "../../../lib/postgres-plugin.js";
import { testBookingConfig } from "../../helpers/config.js";

// Refused bookings written together: each row and its legs as one insert would write them, and
// a row whose Idempotency-Key another row holds left out (and told so).

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
  const rows = new FailedBookings(repo);
  // Keys of this run only: the file's database keeps the rows of earlier runs.
  const [k1, k4] = [`k1-${randomUUID()}`, `k4-${randomUUID()}`];
  const row = async (userId: number, key: string | null) => ({
    id: await ids.next(),
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
  t.equal(await rows.add(first), true);
  const many = await Promise.all([row(2, null), row(3, null), row(1, k1), row(4, k4)]);
  t.same(await Promise.all(many.map((r) => rows.add(r))), [true, true, false, true]);
  const stored = await repo.get(many[0]!.id);
  t.match(stored, {
    id: many[0]!.id,
    userId: 2,
    status: "failed",
    step: "done",
    errorCode: "not_enough_seats",
    failureMessage: "Not enough seats on flight 7 (0 left).",
    holdId: `bk-${many[0]!.id}`,
    legs: [
      { flight_id: 7, price: 0 },
      { flight_id: 8, price: 0 },
    ],
  });
  t.equal(await repo.get(many[2]!.id), null, "the taken key's row was not written");
  t.equal((await repo.getByIdempotencyKey(1, k1))?.id, first.id);
});
