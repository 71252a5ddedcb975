import { setTimeout } from "node:timers/promises";
import t from "tap";
import { SAMPLE_FLIGHTS } from "../../../flight-svc/data/sample-flights.js";
import type { FlightInput } from "../../../flight-svc/search/schedule-index.js";
import { build, seedFlights } from "../../helpers/flight-svc.js";
import { numbers, search } from "../../helpers/search-calls.js";

const DEL_BOM = { source: "DEL", destination: "BOM", max_stops: 0 };

t.test("a schedule loaded long ago and unchanged since is not read again by every refresh", async (t) => {
  const { app } = await build(t, { flights: SAMPLE_FLIGHTS });
  // A bulk load an hour ago: every row has the same updated_at, and none is newer.
  await app.sql`UPDATE flights SET updated_at = now() - interval '1 hour'`;
  await app.timetable.reload();
  const read = watchReads(app);
  await app.timetable.refresh();
  await app.timetable.refresh();
  t.same(read, [], "no flight read again");
  await app.sql`UPDATE flights SET price = 4321, updated_at = now() WHERE id = 3`;
  await app.timetable.refresh();
  t.same(read, [3], "a change is still read");
  t.equal((await search(app, DEL_BOM)).paths.find((p) => p.flights[0]?.flight_number === "AI103")?.total_price, 4321);
});

t.test("a flight deleted and another added behind the service's back: the refresh drops the deleted one", async (t) => {
  const { app } = await build(t, { flights: SAMPLE_FLIGHTS });
  t.same(
    numbers(await search(app, DEL_BOM))
      .flat()
      .sort(),
    ["AI101", "AI102", "AI103"],
  );
  const before = app.flightSearch.metrics().schedule_version;
  // The count of flights stays 16.
  await app.sql`DELETE FROM flights WHERE id = 3`;
  await seedFlights(app.sql, [{ source: "DEL", destination: "BOM", departure: "2024-02-15T20:00:00Z" }]);
  await app.timetable.refresh();
  const after = await search(app, DEL_BOM);
  t.same(
    numbers(after).flat().sort(),
    ["AI101", "AI102", "SB100"],
    "the deleted flight is no longer offered, the added one is",
  );
  t.equal(app.flightSearch.metrics().schedule_flights, 16);
  t.not(app.flightSearch.metrics().schedule_version, before, "cached searches of the old data are dead");
});

t.test(
  "a deletion still uncommitted while a refresh reads: the next refresh after its commit drops the flight",
  async (t) => {
    const { app } = await build(t, { flights: SAMPLE_FLIGHTS });
    await app.timetable.refresh();
    await app.sql.begin(async (tx) => {
      await tx`DELETE FROM flights WHERE id = 3`;
      await app.timetable.refresh();
      t.ok(
        numbers(await search(app, DEL_BOM))
          .flat()
          .includes("AI103"),
        "not deleted yet for the refresh",
      );
    });
    await app.timetable.refresh();
    t.notOk(
      numbers(await search(app, DEL_BOM))
        .flat()
        .includes("AI103"),
      "the deleted flight is no longer offered",
    );
  },
);

/** Records the ids every later upsert into the app's current index reads. */
function watchReads(app: Awaited<ReturnType<typeof build>>["app"]): number[] {
  const read: number[] = [];
  const index = app.timetable.index;
  const upsert = index.upsert.bind(index);
  index.upsert = (input: FlightInput) => {
    read.push(input.id);
    return upsert(input);
  };
  return read;
}

t.test("a bulk load committed just before the full read is not read again by the refreshes after it", async (t) => {
  const { app } = await build(t, { flights: SAMPLE_FLIGHTS });
  await app.sql`UPDATE flights SET updated_at = now()`;
  await app.timetable.reload();
  const read = watchReads(app);
  // A refresh reads again what transactions still running at the last read's start may have
  // written, and those include other test files' (transaction ids are the whole server's). Once
  // a read started with none of them older than the load, the load is not read again. Before,
  // every refresh for a minute read the whole load again.
  let quiet = false;
  for (const end = Date.now() + 15_000; !quiet && Date.now() < end; ) {
    read.length = 0;
    await app.timetable.refresh();
    quiet = read.length === 0;
    if (!quiet) await setTimeout(50);
  }
  t.ok(quiet, "a refresh read no flight again");
  await app.timetable.refresh();
  t.same(read, [], "nor does the next");
});

t.test("a change whose transaction began before a refresh and committed after it is read by the next", async (t) => {
  const { app } = await build(t, { flights: SAMPLE_FLIGHTS });
  await app.timetable.refresh();
  const read = watchReads(app);
  await app.sql.begin(async (tx) => {
    await tx`UPDATE flights SET price = 4321, updated_at = now() WHERE id = 3`;
    await app.timetable.refresh();
  });
  await app.sql.begin(async (tx) => {
    // Its updated_at (the transaction's start) is older than the refresh; its write is not.
    await tx`SELECT 1`;
    await app.timetable.refresh();
    await tx`UPDATE flights SET price = 4322, updated_at = now() WHERE id = 4`;
  });
  await app.timetable.refresh();
  t.same([...new Set(read)].sort(), [3, 4], "both changes read");
  t.equal((await search(app, DEL_BOM)).paths.find((p) => p.flights[0]?.flight_number === "AI103")?.total_price, 4321);
});

t.test("a change frozen by VACUUM before the refresh reads it is still read", async (t) => {
  const { app } = await build(t, { flights: SAMPLE_FLIGHTS });
  await app.timetable.refresh();
  const read = watchReads(app);
  await app.sql`UPDATE flights SET price = 4321, updated_at = now() WHERE id = 3`;
  // PostgreSQL before 9.4 wrote a frozen row's xmin over; the refresh relies on it being kept.
  await app.sql`VACUUM (FREEZE) flights`;
  await app.timetable.refresh();
  t.same(read, [3]);
});
