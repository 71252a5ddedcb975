import t from "tap";
import { BookingsRepo } from "../../../booking-svc/store/bookings-repo.js";
import { MIGRATIONS, migrate } from "../../../lib/migrate.js";
import { recordingClient, type SentStatement, scratchDatabase } from "../../helpers/scratch-database.js";

// A flight event asks whether a change still running moves a booking onto the flight. The join of
// the running changes to their bookings was planned as a scan of every booking there is (in
// parallel workers, 13 ms at 2 million bookings even when no change matched), at each try of each event.

const NAME = "changing_onto_scale_test";
const BOOKINGS = 50_000;

const scratch = await scratchDatabase(t, NAME);
const statements: SentStatement[] = [];
// The statements the repo sends, to count them and to explain them with their own parameters.
const sql = recordingClient(t, NAME, statements);
await migrate(scratch, MIGRATIONS.bookings);

// Bookings as the API leaves them, two of them being changed (one onto flight 7, one onto 8).
await scratch`
  INSERT INTO bookings (id, user_id, seats, travel_date, payment_type, total_amount, status, step, payment_id)
  SELECT g, 1 + g % 5000, 1, '2030-06-01', 'credit_card', 100, 'confirmed', 'done', 'pay_' || g
  FROM generate_series(1, ${BOOKINGS}) g`;
for (const [booking, flight] of [
  [100, 7],
  [200, 8],
]) {
  const [c] = await scratch<{ id: string }[]>`
    INSERT INTO booking_changes (booking_id, change_no, status, step, travel_date, from_flight_ids, to_legs,
      from_hold_id, from_amount, to_amount, fee, charge_amount, refund_amount)
    VALUES (${booking as number}, 1, 'pending', 'confirm', '2030-06-01', '{1}',
      ${scratch.json([{ flight_id: flight as number, price: 100 }])}, ${`bk-${booking}`}, 100, 100, 0, 0, 0)
    RETURNING id`;
  await scratch`UPDATE bookings SET changing = ${c?.id as string} WHERE id = ${booking as number}`;
}
await scratch`ANALYZE bookings`;
await scratch`ANALYZE booking_changes`;

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  Plans?: PlanNode[];
}

/** How the plan reads bookings: its scan nodes' types. */
function bookingsScans(node: PlanNode): string[] {
  const own = node["Relation Name"] === "bookings" ? [node["Node Type"]] : [];
  return [...own, ...(node.Plans ?? []).flatMap(bookingsScans)];
}

t.test("a flight event's look for a change onto the flight reads the bookings being changed", async (t) => {
  const repo = new BookingsRepo(sql);
  t.equal(await repo.changingOnto(7), true);
  t.equal(await repo.changingOnto(9), false);
  const check = statements.find((s) => /booking_changes/.test(s.text));
  const [row] = await scratch.unsafe(`EXPLAIN (FORMAT JSON) ${check?.text}`, check?.params as never[]);
  const scans = bookingsScans((row?.["QUERY PLAN"] as { Plan: PlanNode }[])[0]?.Plan as PlanNode);
  t.notOk(
    scans.some((s) => /Seq Scan/.test(s)),
    `bookings read by ${scans.join(", ")}`,
  );
});
