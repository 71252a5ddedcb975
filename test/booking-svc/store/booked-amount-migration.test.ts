import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { BookingsRepo } from "../../../booking-svc/store/bookings-repo.js";
import { ChangesRepo } from "../../../booking-svc/store/changes-repo.js";
import { requestAnswer } from "../../../booking-svc/views.js";
import { MIGRATIONS, migrate } from "../../../lib/migrate.js";
import { scratchDatabase } from "../../helpers/scratch-database.js";

// A booking's request is replayed from its row with the fare it was booked at (017's
// booked_amount), not the fare a later change moved it to. Rows from before 017 have none:
// a changed one gets its first change's from_amount, one never changed reads its total_amount,
// and one an older instance changes after 017 keeps its total from before that change.

type Sql = Awaited<ReturnType<typeof scratchDatabase>>;

async function booking(sql: Sql, total: number): Promise<number> {
  const [row] = await sql<{ id: number }[]>`
    INSERT INTO bookings (user_id, seats, travel_date, payment_type, total_amount, status, step, payment_id)
    VALUES (1, 1, '2030-03-01', 'upi', ${total}, 'confirmed', 'done', 'pay_1') RETURNING id::int`;
  await sql`INSERT INTO booking_legs (booking_id, leg_no, flight_id, price, travel_date)
    VALUES (${row!.id}, 1, 1, ${total}, '2030-03-01')`;
  return row!.id;
}

async function change(sql: Sql, id: number, no: number, from: number, to: number, status: string, step: string) {
  const [row] = await sql<{ id: number }[]>`
    INSERT INTO booking_changes (booking_id, change_no, status, step, travel_date, from_flight_ids, to_legs,
      from_hold_id, from_amount, to_amount, fee, charge_amount, refund_amount)
    VALUES (${id}, ${no}, ${status}, ${step}, '2030-03-01', '{1}', ${sql.json([{ flight_id: 2, price: to }])},
      ${`bk-${id}`}, ${from}, ${to}, 0, ${Math.max(to - from, 0)}, ${Math.max(from - to, 0)}) RETURNING id::int`;
  return row!.id;
}

t.test("017: old rows answer their request with the fare they were booked at", async (t) => {
  const sql = await scratchDatabase(t, "migrate_test_booked_amount");
  const before = await mkdtemp(join(tmpdir(), "skybook-migrations-"));
  t.teardown(() => rm(before, { recursive: true, force: true }));
  for (const f of (await readdir(MIGRATIONS.bookings)).filter((f) => f < "017")) {
    await cp(join(MIGRATIONS.bookings, f), join(before, f));
  }
  await migrate(sql, before);

  const unchanged = await booking(sql, 5000);
  const changed = await booking(sql, 4000);
  await change(sql, changed, 1, 5000, 7000, "completed", "done");
  await change(sql, changed, 2, 7000, 9000, "failed", "done");
  await change(sql, changed, 3, 7000, 4000, "completed", "done");

  t.ok((await migrate(sql, MIGRATIONS.bookings)).includes("017_booking_booked_amount.sql"));
  const repo = new BookingsRepo(sql);
  t.equal((await repo.get(unchanged))!.bookedAmount, 5000, "never changed: its total");
  t.equal((await repo.get(changed))!.bookedAmount, 5000, "changed: what its first change moved it from");
  t.same(requestAnswer((await repo.get(changed))!), {
    code: 200,
    body: {
      booking_id: changed,
      status: "confirmed",
      total_amount: 5000,
      message: "Booking confirmed.",
      payment_id: "pay_1",
    },
  });

  // Written without booked_amount (an instance still on the old code), then changed by this code.
  const late = await booking(sql, 6000);
  const c = await change(sql, late, 1, 6000, 8000, "pending", "swap");
  await sql`UPDATE bookings SET changing = ${c} WHERE id = ${late}`;
  const swapped = await new ChangesRepo(sql).swap(c, {
    step: "done",
    status: "completed",
    paymentId: "pay_2",
    refundIds: [],
    unrefunded: null,
    failure: null,
  });
  t.ok(swapped);
  const b = (await repo.get(late))!;
  t.equal(b.totalAmount, 8000);
  t.equal(b.bookedAmount, 6000, "the total from before its first change");
});
