import t from "tap";
import { keys } from "../../flight-svc/inventory/keys.js";
import { repairEarlierDrift } from "../../stress/chaos/earlier-drift.js";
import { build, sampleFlightSeeds, seedFlights } from "../helpers/flight-svc.js";

// `make chaos` keeps its stores between invocations: a counter an earlier run left drifting
// failed the seat check of every later run. It is named and repaired before the first fault.

t.test("a counter drifting before the first run is named and repaired; a clean one is left alone", async (t) => {
  const { app, config } = await build(t);
  const ids = await seedFlights(app.sql, sampleFlightSeeds().slice(0, 3));
  const id = ids[1] as number;
  for (const f of ids) t.equal((await app.inject({ url: `/api/flights/${f}` })).statusCode, 200, "the counter loaded");
  const stores = { flightsSql: app.sql, redis: app.redis };
  const lines: string[] = [];
  await repairEarlierDrift(stores, config, 20, (l) => lines.push(l));
  t.same(lines, [], "nothing said on a clean system");

  const free = Number(await app.redis.get(keys.seatsAvailable(id)));
  await app.redis.incrby(keys.seatsAvailable(id), 4);
  await repairEarlierDrift(stores, config, 20, (l) => lines.push(l));
  t.same(lines, [
    "chaos: seat counters drifted before the first run (an earlier run's, not this one's): " +
      `flight ${id}: redis ${free + 4}, total − confirmed − held ${free}`,
    "chaos: 1 of 1 drifted counters repaired, as make reconcile does",
  ]);
  t.equal(Number(await app.redis.get(keys.seatsAvailable(id))), free, "the counter is back");
});
