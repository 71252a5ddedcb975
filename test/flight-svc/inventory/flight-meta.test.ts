import postgres from "postgres";
import t from "tap";
import { FlightMetaCache } from "../../../flight-svc/inventory/flight-meta.js";
import { createSql, type Sql } from "../../../lib/postgres-plugin.js";
import { testFlightConfig } from "../../helpers/config.js";
import { seedFlights } from "../../helpers/flight-svc.js";

// Regression: a cached flight whose entry expired while the query for another flight ran
// came back as null, so a hold on a flight that exists was refused with flight_not_found.
t.test("an entry expiring while other flights load is still answered", async (t) => {
  const sql = createSql(testFlightConfig().flightsDatabaseUrl, 3);
  t.teardown(() => sql.end());
  await sql`TRUNCATE flights, seat_ledger RESTART IDENTITY CASCADE`;
  const [a, b] = await seedFlights(sql, [{ price: 100 }, { price: 200 }]);
  const meta = new FlightMetaCache(sql, 30);
  t.match(await meta.get([a!]), [{ id: a, price: 100 }]);

  // Hold the flights table so the query for b outlives a's 30 ms entry.
  let release!: () => void;
  const locked = new Promise<void>((resolve) => {
    release = resolve;
  });
  const lockHeld = sql.begin(async (tx) => {
    await tx`LOCK TABLE flights IN ACCESS EXCLUSIVE MODE`;
    await locked;
  });
  await new Promise((r) => setTimeout(r, 20));
  const both = meta.get([a!, b!]);
  setTimeout(release, 100);
  await lockHeld;
  t.match(await both, [
    { id: a, price: 100 },
    { id: b, price: 200 },
  ]);
  t.same(await meta.get([999]), [null], "an unknown flight is null");
});

t.test("misses of one turn of the event loop are read by one query", async (t) => {
  const url = testFlightConfig().flightsDatabaseUrl;
  const flightQueries: string[] = [];
  // The driver's own hook sees every statement this client sends to the real database.
  const sql = postgres(url, {
    max: 2,
    debug: (_connection, query) => {
      if (/FROM flights WHERE id = ANY/.test(query)) flightQueries.push(query);
    },
  }) as unknown as Sql;
  t.teardown(() => sql.end());
  const ids = await seedFlights(sql, [{ price: 100 }, { price: 200 }, { price: 300 }]);
  const meta = new FlightMetaCache(sql);
  const answers = await Promise.all([meta.get([ids[0]!]), meta.get([ids[1]!, ids[0]!]), meta.get([ids[2]!, 999])]);
  t.same(
    answers.map((a) => a.map((m) => m?.id ?? null)),
    [[ids[0]], [ids[1], ids[0]], [ids[2], null]],
  );
  t.equal(flightQueries.length, 1, "one query for the three requests");
  await meta.get([ids[0]!, ids[2]!]);
  t.equal(flightQueries.length, 1, "then answered from the cache");
});
