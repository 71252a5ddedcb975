import t from "tap";
import { FlightMetaCache } from "../../../flight-svc/inventory/flight-meta.js";
import { createSql } from "../../../lib/postgres-plugin.js";
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
