import t from "tap";
import { killProcess, startFlightProcess } from "../../helpers/flight-process.js";
import { build, seedFlights } from "../../helpers/flight-svc.js";
import { freePort } from "../../helpers/free-port.js";
import { httpOps, inProcessOps, type LoadStats, leftovers, quiesce, runLoad } from "../../helpers/inventory-load.js";
import { waitFor } from "../../helpers/system.js";

const describe = (e: unknown) => `${(e as { code?: string }).code ?? ""} ${(e as Error).message ?? String(e)}`;
/** Waits until the running load has done `enough`, however slow the machine. */
const until = (stats: LoadStats, enough: (s: LoadStats) => boolean) => waitFor(async () => enough(stats), 30_000);

t.test("FLUSHALL in the middle of a concurrent run: no oversell, no leak after quiescence", async (t) => {
  const { app } = await build(t);
  const flights = await seedFlights(app.sql, [
    { total: 200 },
    { total: 120, booked: 5 },
    { total: 160 },
    { total: 15 },
  ]);
  const stop = new AbortController();
  const errors: unknown[] = [];
  const load = runLoad(inProcessOps(app, 2), flights, 12, stop.signal, (e) => errors.push(e));
  t.ok(await until(load.stats, (s) => s.confirms >= 10), "confirms before the flush");
  await app.redis.flushdb();
  const before = load.stats.confirms;
  t.ok(
    await until(load.stats, (s) => s.confirms >= before + 10 && s.cancels > 0),
    "confirms and cancels after the flush",
  );
  stop.abort();
  const stats = await load.done;
  t.same(errors.map(describe), [], "no unexpected errors");
  t.comment(JSON.stringify(stats));

  const seed = new Map([[flights[1], 5]]);
  for (const f of await quiesce(app, flights)) {
    t.ok(f.booked <= f.total, `flight ${f.id}: no oversell (${f.booked}/${f.total})`);
    t.equal(f.booked, f.ledgerBooked + (seed.get(f.id) ?? 0), `flight ${f.id}: booked seats are the ledger's`);
    t.equal(f.available, f.total - f.booked, `flight ${f.id}: available == total - confirmed`);
  }
  t.equal(await leftovers(app, flights), 0, "no holds or returns left");
});

t.test("flight-svc killed with SIGKILL mid-load and restarted: no oversell, no leak after quiescence", async (t) => {
  const { app, config } = await build(t, { env: { HOLD_SWEEP_MS: "600000" } });
  const flights = await seedFlights(app.sql, [{ total: 200 }, { total: 120 }, { total: 160 }, { total: 15 }]);
  const port = await freePort();
  let child = await startFlightProcess(config, port, { HOLD_SWEEP_MS: "200" });
  t.teardown(() => killProcess(child, "SIGKILL"));

  const stop = new AbortController();
  const errors: unknown[] = [];
  const load = runLoad(
    httpOps(() => `http://127.0.0.1:${port}`, 2),
    flights,
    12,
    stop.signal,
    (e) => errors.push(e),
  );
  t.ok(await until(load.stats, (s) => s.confirms >= 10), "confirms before the kill");
  await killProcess(child, "SIGKILL");
  child = await startFlightProcess(config, port, { HOLD_SWEEP_MS: "200" });
  const before = load.stats.confirms;
  t.ok(await until(load.stats, (s) => s.confirms >= before + 10), "confirms after the restart");
  stop.abort();
  const stats = await load.done;
  await killProcess(child, "SIGTERM");
  t.comment(JSON.stringify(stats));
  const unexpected = errors.filter(
    (e) => !/fetch failed|ECONNRE|socket|terminated/i.test(String((e as Error).message ?? e)),
  );
  t.same(unexpected.map(describe), [], "only connection errors while flight-svc was down");

  for (const f of await quiesce(app, flights)) {
    t.ok(f.booked <= f.total, `flight ${f.id}: no oversell (${f.booked}/${f.total})`);
    t.equal(f.booked, f.ledgerBooked, `flight ${f.id}: booked seats are the ledger's`);
    t.equal(f.available, f.total - f.booked, `flight ${f.id}: available == total - confirmed`);
  }
  t.equal(await leftovers(app, flights), 0, "no holds or returns left");
});
