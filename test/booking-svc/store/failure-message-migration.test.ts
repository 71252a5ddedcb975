import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { BookingsRepo } from "../../../booking-svc/store/bookings-repo.js";
import { bookingView, currentAnswer } from "../../../booking-svc/views.js";
import { MIGRATIONS, migrate } from "../../../lib/migrate.js";
import { scratchDatabase } from "../../helpers/scratch-database.js";

// Rows as booking-svc wrote them before 003: `message` held the sentence shown, which for a
// failed or failing booking was its failure's text.
const OLD_ROWS = [
  {
    status: "pending",
    step: "hold",
    error: null,
    message: "The booking is being processed; its outcome is not known yet.",
  },
  { status: "pending", step: "confirm", error: null, message: "The payment succeeded; the seats are being confirmed." },
  {
    status: "pending",
    step: "release",
    error: "payment_not_completed",
    message: "The payment did not complete; nothing was charged.",
  },
  {
    status: "pending",
    step: "refund",
    error: "hold_expired",
    message: "The seats were released before the payment completed; the payment was refunded.",
  },
  { status: "confirmed", step: "done", error: null, message: "Booking confirmed." },
  { status: "confirmed", step: "cancel", error: null, message: "The booking is being cancelled." },
  {
    status: "cancelled",
    step: "done",
    error: null,
    message: "Booking cancelled; the seats were released and the payment refunded.",
  },
  { status: "failed", step: "done", error: "payment_declined", message: "The payment was declined (expired_card)." },
  {
    status: "failed",
    step: "done",
    error: "validation_error",
    field: "date",
    message: "date 2024-02-16 is not the departure date of flight 1 (2024-02-15, UTC).",
  },
] as const;

t.test("003 moves every failure's text to failure_message; every booking shows what it showed before", async (t) => {
  const sql = await scratchDatabase(t, "migrate_test_failure_message");
  const before = await mkdtemp(join(tmpdir(), "skybook-migrations-"));
  t.teardown(() => rm(before, { recursive: true, force: true }));
  for (const f of (await readdir(MIGRATIONS.bookings)).filter((f) => f < "003")) {
    await cp(join(MIGRATIONS.bookings, f), join(before, f));
  }
  await migrate(sql, before);
  // 003 next, alone: the migrations after it are other tests' business.
  const through003 = await mkdtemp(join(tmpdir(), "skybook-migrations-"));
  t.teardown(() => rm(through003, { recursive: true, force: true }));
  for (const f of (await readdir(MIGRATIONS.bookings)).filter((f) => f < "004")) {
    await cp(join(MIGRATIONS.bookings, f), join(through003, f));
  }
  const ids: number[] = [];
  for (const r of OLD_ROWS) {
    const paid = r.status === "confirmed" || r.status === "cancelled" || r.step === "refund";
    const [row] = await sql<{ id: number }[]>`
      INSERT INTO bookings (user_id, seats, travel_date, payment_type, total_amount, status, step,
        error_code, error_field, message, payment_id)
      VALUES (1, 1, '2024-02-15', 'upi', 8500, ${r.status}, ${r.step}, ${r.error},
        ${"field" in r ? r.field : null}, ${r.message}, ${paid ? "pay_1" : null})
      RETURNING id::int`;
    await sql`INSERT INTO booking_legs (booking_id, leg_no, flight_id, price) VALUES (${row!.id}, 1, 1, 8500)`;
    ids.push(row!.id);
  }

  t.same(await migrate(sql, through003), ["003_booking_failure_message.sql"]);
  const repo = new BookingsRepo(sql);
  for (const [i, r] of OLD_ROWS.entries()) {
    const b = (await repo.get(ids[i]!))!;
    t.equal(b.failureMessage, r.error ? r.message : null, `${r.status}/${r.step}: failure text`);
    t.equal(bookingView(b).message, r.message, `${r.status}/${r.step}: the read shows the same sentence`);
    t.equal(currentAnswer(b).body.message, r.message, `${r.status}/${r.step}: so does the booking's answer`);
  }
  await t.rejects(
    sql`UPDATE bookings SET failure_message = NULL WHERE id = ${ids[2]!}`,
    { message: /failure_has_message/ },
    "a failure keeps its text",
  );
});
