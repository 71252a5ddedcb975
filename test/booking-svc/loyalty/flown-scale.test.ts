import t from "tap";
import { FlownJob } from "../../../booking-svc/flown/flown-job.js";
import { FlownRepo } from "../../../booking-svc/flown/flown-repo.js";
import { MIGRATIONS, migrate } from "../../../lib/migrate.js";
import { recordingClient, type SentStatement, scratchDatabase } from "../../helpers/scratch-database.js";

// The flown job at an airline's scale: a year of legs flown long ago beside the few whose day has
// come. A round's search for due flights read every leg ever booked (the planner took the date
// and the flown marks as independent, expected most legs to be due, and walked the flight index
// in order), and the miles of each leg were recorded with an UPDATE of their own.

const NAME = "flown_scale_test";
const TODAY = "2030-06-01";
const PAST = 60_000;
const DUE = 300;
const AHEAD = 20_000;

const scratch = await scratchDatabase(t, NAME);
const statements: SentStatement[] = [];
// The statements the repo sends, to count them and to explain them with their own parameters.
const sql = recordingClient(t, NAME, statements);
await migrate(scratch, MIGRATIONS.bookings);

// As the API leaves them: legs of the past year flown and earned, legs due today on 30 flights,
// and legs booked for the next two months.
await scratch`
  INSERT INTO bookings (id, user_id, seats, travel_date, payment_type, total_amount, status, step, payment_id,
    confirmed_at, flown_at)
  SELECT g, 1 + g % 5000, 1, d, 'credit_card', 100, 'confirmed', 'done', 'pay_' || g, d - 10,
    CASE WHEN g <= ${PAST} THEN d + interval '12 hours' END
  FROM generate_series(1, ${PAST + DUE + AHEAD}) g,
    LATERAL (SELECT CASE WHEN g <= ${PAST} THEN ${TODAY}::date - 1 - g % 365
      WHEN g <= ${PAST + DUE} THEN ${TODAY}::date ELSE ${TODAY}::date + 1 + g % 60 END AS d) dd`;
await scratch`
  INSERT INTO booking_legs (booking_id, leg_no, flight_id, price, travel_date, flown_at, miles, earned_at)
  SELECT b.id, 1, 1000 + b.id % 40000, 100, b.travel_date, b.flown_at,
    CASE WHEN b.flown_at IS NOT NULL THEN 500 END, b.flown_at
  FROM bookings b`;
await scratch`UPDATE booking_legs SET flight_id = 100000 + booking_id % 30 WHERE booking_id BETWEEN ${PAST + 1} AND ${PAST + DUE}`;
await scratch`ANALYZE bookings`;
await scratch`ANALYZE booking_legs`;

interface PlanNode {
  "Relation Name"?: string;
  "Actual Rows": number;
  "Actual Loops": number;
  "Rows Removed by Filter"?: number;
  "Rows Removed by Index Recheck"?: number;
  Plans?: PlanNode[];
}

/** Rows the statement's plan read from booking_legs, as EXPLAIN ANALYZE counts them. */
function legsRead(node: PlanNode): number {
  const own =
    node["Relation Name"] === "booking_legs"
      ? (node["Actual Rows"] + (node["Rows Removed by Filter"] ?? 0) + (node["Rows Removed by Index Recheck"] ?? 0)) *
        node["Actual Loops"]
      : 0;
  return own + (node.Plans ?? []).reduce((n, p) => n + legsRead(p), 0);
}

t.test("a round's search for due flights reads the due legs, not every leg booked", async (t) => {
  statements.length = 0;
  const found = await new FlownRepo(sql).flightsToCheck(TODAY, 0, 200);
  t.equal(found.length, 30, "the flights of the due legs");
  const search = statements.find((s) => /booking_legs/.test(s.text));
  const [row] = await scratch.unsafe(`EXPLAIN (ANALYZE, FORMAT JSON) ${search?.text}`, search?.params as never[]);
  const read = legsRead((row?.["QUERY PLAN"] as { Plan: PlanNode }[])[0]?.Plan as PlanNode);
  t.ok(read <= 2 * DUE, `read ${read} legs for ${DUE} due, of ${PAST + DUE + AHEAD}`);
});

/** The search's plan as the repo ran it: its transaction's settings replayed, JIT made as eager as it gets. */
async function searchPlan(sent: SentStatement[]): Promise<unknown> {
  const search = sent.find((s) => /booking_legs/.test(s.text)) as SentStatement;
  const settings = sent.filter((s) => /^\s*SET\b/i.test(s.text));
  return scratch.begin(async (tx) => {
    await tx`SET LOCAL jit_above_cost = 0`;
    for (const s of settings) await tx.unsafe(s.text, s.params as never[]);
    const [row] = await tx.unsafe(`EXPLAIN (ANALYZE, FORMAT JSON) ${search.text}`, search.params as never[]);
    return (row?.["QUERY PLAN"] as unknown[])[0];
  });
}

t.test("a round's search for due flights is never compiled (JIT), whatever its estimate", async (t) => {
  statements.length = 0;
  await new FlownRepo(sql).flightsToCheck(TODAY, 0, 200);
  const search = statements.filter((s) => /booking_legs/.test(s.text));
  t.ok("JIT" in ((await searchPlan(search)) as object), "this server compiles the search when allowed");
  t.notOk("JIT" in ((await searchPlan(statements)) as object), "the repo's transaction does not allow it");
});

t.test("a round asks user-svc for a batch of legs in one call and records them in one statement", async (t) => {
  await scratch`UPDATE booking_legs SET flown_at = now(), miles = 300 WHERE booking_id BETWEEN ${PAST + 1} AND ${PAST + DUE}`;
  const earned: number[] = [];
  let calls = 0;
  const job = new FlownJob(
    new FlownRepo(sql),
    { getFlight: async () => null } as never,
    {
      earnAll: async (legs: { bookingId: number }[], acknowledge: (legs: unknown[]) => void) => {
        // As MilesClient: no legs, no call.
        if (legs.length > 0) calls += 1;
        earned.push(...legs.map((l) => l.bookingId));
        acknowledge(legs);
        return [];
      },
    } as never,
    { intervalMs: 86_400_000, batch: 100, now: () => new Date(`${TODAY}T00:00:00Z`) },
    { warn: () => {}, error: () => {} } as never,
  );
  statements.length = 0;
  t.same(await job.runOnce(), { flown: 0, earned: DUE });
  t.equal(earned.length, DUE, "each leg's miles asked of user-svc once");
  t.equal(calls, DUE / 100, "one call to user-svc a batch of 100");
  const writes = statements.filter((s) => /UPDATE booking_legs/.test(s.text)).length;
  t.equal(writes, DUE / 100, "one write a batch of 100");
  const [left] =
    await scratch`SELECT count(*)::int AS n FROM booking_legs WHERE flown_at IS NOT NULL AND earned_at IS NULL`;
  t.equal(left?.n, 0, "every leg recorded earned");
});
