import t from "tap";
import { createSql } from "../../../lib/postgres-plugin.js";
import { generateSchedule, loadFlights, SAMPLE_FLIGHTS } from "../../../scripts/data/generate.js";
import { testFlightConfig } from "../../helpers/config.js";

const config = testFlightConfig();
const sql = createSql(config.flightsDatabaseUrl, 2);
t.teardown(() => sql.end({ timeout: 5 }));

const count = async () => (await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM flights`)[0]!.n;
const rows = generateSchedule({ seed: 3, flightsPerDay: 500, days: 2, startDate: "2024-02-15" });

t.before(async () => {
  await sql`TRUNCATE flights, seat_ledger RESTART IDENTITY CASCADE`;
});

t.test("loads the sample with ids 1–16 and the generated flights after them, in row order", async (t) => {
  t.strictSame(await loadFlights(sql, rows, { mode: "if-empty" }), { loaded: 1_016, existing: 0 });
  const stored = await sql`
    SELECT id::int, flight_number, airline, source, destination, departure_time, arrival_time,
           total_seats, booked_seats, price, status
    FROM flights ORDER BY id`;
  t.equal(stored.length, rows.length);
  const mismatches = stored.filter((s, i) => JSON.stringify(s) !== JSON.stringify({ id: i + 1, ...rows[i] }));
  t.strictSame(mismatches.slice(0, 3), []);
  t.equal(stored[0]!.flight_number, "AI101");
  t.equal(stored[15]!.flight_number, "AI503");
});

t.test("the id sequence continues after the loaded flights", async (t) => {
  const [row] = await sql<{ id: number }[]>`
    INSERT INTO flights (flight_number, source, destination, departure_time, arrival_time, total_seats, price)
    VALUES ('ZZ1', 'DEL', 'BOM', '2024-02-16T08:00:00Z', '2024-02-16T10:00:00Z', 100, 100)
    RETURNING id::int`;
  t.equal(row!.id, 1_017);
});

t.test("if-empty leaves a table with flights alone", async (t) => {
  t.strictSame(await loadFlights(sql, rows, { mode: "if-empty" }), { loaded: 0, existing: 1_017 });
  t.equal(await count(), 1_017);
});

t.test("append with a fixed id that exists fails whole, loading nothing", async (t) => {
  const extra = generateSchedule({ seed: 4, flightsPerDay: 10, days: 1, startDate: "2024-02-20" });
  await t.rejects(loadFlights(sql, extra), /duplicate key/);
  t.equal(await count(), 1_017);
});

t.test("append adds flights with ids from the sequence", async (t) => {
  const extra = generateSchedule({ seed: 4, flightsPerDay: 10, days: 1, startDate: "2024-02-20" }).slice(16);
  t.strictSame(await loadFlights(sql, extra), { loaded: 10, existing: 1_017 });
  const [r] = await sql<
    { min: number; max: number }[]
  >`SELECT min(id)::int, max(id)::int FROM flights WHERE departure_time >= '2024-02-20'`;
  t.strictSame(r, { min: 1_018, max: 1_027 });
});

t.test("replace empties the flights and their seat ledger, ids from 1 again", async (t) => {
  await sql`INSERT INTO seat_ledger (op_id, kind, flight_ids, seats, status) VALUES ('op-1', 'hold', '{1}', 1, 'confirmed')`;
  const small = generateSchedule({ seed: 5, flightsPerDay: 20, days: 1, startDate: "2024-02-15" });
  t.strictSame(await loadFlights(sql, small, { mode: "replace" }), { loaded: 36, existing: 1_027 });
  const [r] = await sql<{ n: number; max: number }[]>`SELECT count(*)::int AS n, max(id)::int AS max FROM flights`;
  t.strictSame(r, { n: 36, max: 36 });
  t.equal((await sql`SELECT 1 FROM seat_ledger`).length, 0);
});

t.test("text with tabs, line breaks and backslashes survives the load", async (t) => {
  const odd = { ...SAMPLE_FLIGHTS[0]!, id: undefined, airline: "Tab\there\\and\nnew\r\nline" };
  await loadFlights(sql, [odd]);
  const [r] = await sql<{ airline: string }[]>`SELECT airline FROM flights ORDER BY id DESC LIMIT 1`;
  t.equal(r!.airline, odd.airline);
});

t.test("a value the table refuses fails the whole load, and the pool stays usable", async (t) => {
  const before = await count();
  const ok = { ...SAMPLE_FLIGHTS[0]!, id: undefined };
  await t.rejects(
    loadFlights(sql, [ok, { ...ok, booked_seats: 181 }]),
    /violates check constraint "booked_within_total"/,
  );
  await t.rejects(loadFlights(sql, [ok, { ...ok, source: "DELHI" }]), /value too long for type character\(3\)/);
  await t.rejects(loadFlights(sql, [ok, { ...ok, price: Number.NaN }]), /the number NaN/);
  await t.rejects(loadFlights(sql, [ok, { ...ok, airline: "a\0b" }]), /NUL character/);
  t.equal(await count(), before);
});

t.test("100,000 flights load in seconds", async (t) => {
  const big = generateSchedule({ seed: 42, flightsPerDay: 100_000, days: 1, startDate: "2024-02-15" });
  const started = performance.now();
  const result = await loadFlights(sql, big, { mode: "replace" });
  const seconds = (performance.now() - started) / 1000;
  t.comment(`loaded ${big.length} flights in ${seconds.toFixed(2)} s`);
  t.equal(result.loaded, 100_016);
  t.equal(await count(), 100_016);
  t.ok(seconds < 30, `${seconds.toFixed(2)} s`);
});
