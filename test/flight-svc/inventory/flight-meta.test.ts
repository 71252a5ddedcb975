import postgres from "postgres";
import t from "tap";
import { FlightMetaCache } from "../../../flight-svc/inventory/flight-meta.js";
import { createSql, type Sql } from "../../../lib/postgres-plugin.js";
import { testFlightConfig } from "../../helpers/config.js";
import { seedFlights } from "../../helpers/flight-svc.js";

/** Holds the flights table until the returned function is called: reads wait behind it meanwhile. */
async function lockFlights(sql: Sql): Promise<() => Promise<void>> {
  let release!: () => void;
  const locked = new Promise<void>((resolve) => {
    release = resolve;
  });
  const held = sql.begin(async (tx) => {
    await tx`LOCK TABLE flights IN ACCESS EXCLUSIVE MODE`;
    await locked;
  });
  await new Promise((r) => setTimeout(r, 20));
  return async () => {
    release();
    await held;
  };
}

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
  const unlock = await lockFlights(sql);
  const both = meta.get([a!, b!]);
  await new Promise((r) => setTimeout(r, 100));
  await unlock();
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

t.test("forget: the next read goes to PostgreSQL, and a read already running is not cached", async (t) => {
  const url = testFlightConfig().flightsDatabaseUrl;
  let flightQueries = 0;
  const sql = postgres(url, {
    max: 5,
    debug: (_connection, query) => {
      if (/FROM flights WHERE id = ANY/.test(query)) flightQueries++;
    },
  }) as unknown as Sql;
  t.teardown(() => sql.end());
  const [a] = await seedFlights(sql, [{ price: 100 }]);
  const meta = new FlightMetaCache(sql);
  await meta.get([a!]);
  await sql`UPDATE flights SET price = 150 WHERE id = ${a!}`;
  t.match(await meta.get([a!]), [{ price: 100 }], "cached");
  meta.forget(a!);
  t.match(await meta.get([a!]), [{ price: 150 }], "read again after forget");
  t.equal(flightQueries, 2);

  // The driver reports a query once a connection sends it, and opening one takes a while.
  const queriesSent = async (n: number) => {
    for (let waited = 0; flightQueries < n && waited < 5_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    return flightQueries;
  };

  meta.forget(a!);
  let unlock = await lockFlights(sql);
  const running = meta.get([a!]);
  t.equal(await queriesSent(3), 3);
  meta.forget(a!);
  await unlock();
  await running;
  await meta.get([a!]);
  t.equal(flightQueries, 4, "what a read running at the change found is not cached");

  meta.forget(a!);
  unlock = await lockFlights(sql);
  const before = meta.get([a!]);
  t.equal(await queriesSent(5), 5);
  meta.forget(a!);
  const after = meta.get([a!]);
  t.equal(await queriesSent(6), 6, "a read after forget does not wait for the one already running");
  await unlock();
  await Promise.all([before, after]);
  await meta.get([a!]);
  t.equal(flightQueries, 6, "the read that began after forget is cached");
});
