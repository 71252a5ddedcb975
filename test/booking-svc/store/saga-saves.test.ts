import t from "tap";
import { newHoldNonce } from "../../../booking-svc/hold-ids.js";
import { initialState, type SagaState } from "../../../booking-svc/saga/machine.js";
import { BookingIds } from "../../../booking-svc/store/booking-ids.js";
import { BookingsRepo } from "../../../booking-svc/store/bookings-repo.js";
import { createSql } from "../../../lib/postgres-plugin.js";

// The saga's saves are grouped into one statement while another runs: each must still be a
// compare-and-set of its own row, answered for itself, as if it had run alone.

const sql = createSql(process.env.BOOKINGS_DATABASE_URL as string);
t.teardown(() => sql.end({ timeout: 5 }));
const repo = new BookingsRepo(sql);
const ids = new BookingIds(sql);
let user = 9_000;

async function newBooking(): Promise<number> {
  const [b] = await repo.insertAll([
    {
      id: await ids.next(),
      holdNonce: newHoldNonce(),
      userId: ++user,
      seats: 1,
      travelDate: "2024-02-15",
      paymentType: "credit_card",
      totalAmount: 8500,
      legs: [{ flight_id: 1, price: 8500 }],
      passengers: [],
      idempotencyKey: null,
      requestHash: null,
      requestId: null,
      state: initialState(),
      leaseSeconds: 60,
    },
  ]);
  return (b as { id: number }).id;
}

const paid = (paymentId: string): SagaState => ({ ...initialState(), step: "confirm", paymentId });
const released: SagaState = {
  ...initialState(),
  step: "release",
  failure: { error: "payment_declined", message: "declined" },
};
const confirmed = (paymentId: string): SagaState => ({ ...paid(paymentId), step: "done", status: "confirmed" });

const stepOf = async (id: number) => (await repo.get(id))?.step;

t.test("saves made together each compare-and-set their own row", async (t) => {
  const [a, b, c, ...many] = await Promise.all(Array.from({ length: 43 }, newBooking));
  const [first, ...rest] = [a, b, c] as number[];
  // `first` goes alone; the rest arrive while it runs and share a statement.
  const results = await Promise.all([
    repo.save(first as number, "hold", paid("pay_first")),
    repo.save(rest[0] as number, "hold", paid("pay_a1")),
    repo.save(rest[0] as number, "hold", released),
    repo.save(rest[1] as number, "pay", paid("pay_wrong_step")),
    ...many.map((id) => repo.save(id, "hold", paid(`pay_${id}`))),
  ]);
  const [alone, a1, a2, wrongStep, ...others] = results;
  t.equal(alone, true);
  t.equal([a1, a2].filter(Boolean).length, 1, "two saves of one row from the same step: one wins");
  t.equal(await stepOf(rest[0] as number), a1 ? "confirm" : "release", "the row holds the winner's state");
  t.equal(wrongStep, false, "a row not at the expected step is not written");
  t.equal(await stepOf(rest[1] as number), "hold");
  t.same(
    others,
    many.map(() => true),
  );
  const rows = await sql<{ id: string; payment_id: string }[]>`
    SELECT id, payment_id FROM bookings WHERE id = ANY(${many}::bigint[]) ORDER BY id`;
  t.same(
    rows.map((r) => r.payment_id),
    [...many].sort((x, y) => x - y).map((id) => `pay_${id}`),
    "each row has its own state",
  );
});

t.test("a save the database refuses fails alone; the others of its group are written", async (t) => {
  const ids = await Promise.all(Array.from({ length: 6 }, newBooking));
  const [lead, bad, ...good] = ids as [number, number, ...number[]];
  const broken: SagaState = { ...confirmed("x"), paymentId: null };
  const [, badResult, ...goodResults] = await Promise.allSettled([
    repo.save(lead, "hold", paid("pay_lead")),
    // confirmed without a payment breaks the table's confirmed_is_paid check
    repo.save(bad, "hold", broken),
    ...good.map((id) => repo.save(id, "hold", paid(`pay_${id}`))),
  ]);
  t.equal(badResult?.status, "rejected");
  t.same(
    goodResults.map((r) => r.status === "fulfilled" && r.value),
    good.map(() => true),
  );
  t.equal(await stepOf(bad), "hold", "the refused save changed nothing");
  for (const id of good) t.equal(await stepOf(id), "confirm");
});
