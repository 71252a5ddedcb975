import t from "tap";
import type { Op } from "../../../flight-svc/inventory/ledger.js";
import { bookTogether } from "../../../flight-svc/inventory/ledger-batch.js";
import { createSql } from "../../../lib/postgres-plugin.js";
import { testFlightConfig } from "../../helpers/config.js";

// The group commit's statement (inventory/ledger-batch.ts) is prepared, and PostgreSQL keeps a
// session's generic plan for it. Planned while the ledger's statistics said it was small (a new
// ledger, or one just emptied), a kept plan that looked rows up in the ledger read the whole of it
// for every batch until an ANALYZE replanned it (seen with migration 006's book_seats_batch). The
// statement reaches the ledger only through its key, whatever the statistics. This session's
// temporary tables stand in for the ledger and the flights: they come first on the search path,
// and autovacuum never analyses them.

const sql = createSql(testFlightConfig().flightsDatabaseUrl, 1);
t.teardown(() => sql.end());

type Session = Awaited<ReturnType<typeof sql.reserve>>;

/** One seat per id on flight 1, each id its own token. */
const book = (session: Session, ids: string[]) =>
  bookTogether(
    session,
    ids.map((id): Op => ({ id, kind: "decrement", legs: [1], seats: 1, token: id })),
  );

/** Sequential and index scans of this session's ledger so far in its transaction. */
const scans = async (session: Session) => {
  const [row] = await session<{ seq: number; idx: number }[]>`
    SELECT seq_scan::int AS seq, idx_scan::int AS idx FROM pg_stat_xact_user_tables
    WHERE relid = 'pg_temp.seat_ledger'::regclass`;
  return row ?? { seq: 0, idx: 0 };
};

t.test("a batch on a ledger grown since the session's first batches finds its rows by the key", async (t) => {
  const session = await sql.reserve();
  t.teardown(() => session.release());
  await session`CREATE TEMP TABLE seat_ledger (LIKE public.seat_ledger INCLUDING ALL)`;
  await session`CREATE TEMP TABLE flights (LIKE public.flights INCLUDING ALL)`;
  await session`
    INSERT INTO flights (id, flight_number, source, destination, departure_time, arrival_time, total_seats, price)
    VALUES (1, 'PL1', 'AAA', 'BBB', '2024-02-15T06:00:00Z', '2024-02-15T08:00:00Z', 1000000, 10)`;
  // The statistics of a ledger with two rows, as a new one gets at its first ANALYZE.
  await book(session, ["first-a", "first-b"]);
  await session`ANALYZE seat_ledger`;
  // More calls than PostgreSQL plans for their values before it may keep a generic plan.
  for (let i = 0; i < 12; i++) t.equal((await book(session, [`plan-${i}-a`, `plan-${i}-b`])).length, 2);
  await session`
    INSERT INTO seat_ledger (op_id, kind, flight_ids, seats, status)
    SELECT 'bulk-' || g, 'decrement', ARRAY[1]::bigint[], 1, 'confirmed' FROM generate_series(1, 50000) g`;

  await session`BEGIN`;
  const before = await scans(session);
  const ids = ["after-a", "after-b", "after-c"];
  const rulings = await book(session, ids);
  // A retry of an id already written is answered from its row, looked up by the key.
  const retried = await book(session, ["after-a", "plan-0-a"]);
  const after = await scans(session);
  await session`COMMIT`;

  t.same(
    rulings,
    ids.map(() => ({ status: "confirmed", mine: true })),
    "every id of the batch answered",
  );
  t.same(retried, [
    { status: "confirmed", mine: true },
    { status: "confirmed", mine: true },
  ]);
  const [flight] = await session<{ booked: number }[]>`SELECT booked_seats AS booked FROM flights WHERE id = 1`;
  t.equal(flight?.booked, 2 + 12 * 2 + ids.length, "each id booked once");
  t.ok(after.idx > before.idx, "the ledger's key was used");
  t.equal(after.seq - before.seq, 0, "no sequential scan of the ledger");
});
