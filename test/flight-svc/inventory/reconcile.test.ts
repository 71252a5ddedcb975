import { execFile } from "node:child_process";
import { promisify } from "node:util";
import t from "tap";
import { keys } from "../../../flight-svc/inventory/keys.js";
import { PROJECT_ROOT } from "../../../lib/paths.js";
import { fileAuth } from "../../helpers/auth.js";
import { build, seedFlights } from "../../helpers/flight-svc.js";

const auth = await fileAuth();
const admin = (await auth.admin()).headers;

t.test("reconcile reports drift and repairs it; live holds and confirms are no drift", async (t) => {
  const { app } = await build(t, { auth });
  const [a, b, c] = await seedFlights(app.sql, [{ total: 10 }, { total: 20, booked: 4 }, { total: 30 }]);
  const held = await app.inventory.placeHold({ flightIds: [a!, b!], seats: 2, ttlSeconds: 60 });
  const booked = await app.inventory.placeHold({ flightIds: [b!], seats: 3, ttlSeconds: 60 });
  await app.inventory.confirmHold(booked.hold_id);
  t.same(await app.inventory.availableSeats([a!, b!, c!]), [8, 11, 30]);

  const clean = await app.inject({ headers: admin, method: "POST", url: "/api/admin/reconcile" });
  t.same(clean.json(), { flights_checked: 3, drift: [], repaired: 0 });

  await app.redis.set(keys.seatsAvailable(b!), "15");
  await app.redis.set(keys.seatsAvailable(c!), "3");
  const report = await app.inject({
    headers: admin,
    method: "POST",
    url: "/api/admin/reconcile",
    payload: { repair: false },
  });
  t.same(report.json(), {
    flights_checked: 3,
    drift: [
      { flight_id: b, redis: 15, expected: 11 },
      { flight_id: c, redis: 3, expected: 30 },
    ],
    repaired: 0,
  });
  t.equal(await app.redis.get(keys.seatsAvailable(b!)), "15", "a report alone changes nothing");

  const repaired = await app.inject({
    headers: admin,
    method: "POST",
    url: "/api/admin/reconcile",
    payload: { repair: true },
  });
  t.match(repaired.json(), { flights_checked: 3, repaired: 2 });
  t.same(await app.inventory.availableSeats([a!, b!, c!]), [8, 11, 30]);
  await app.inventory.releaseHold(held.hold_id);
  t.same(await app.inventory.availableSeats([a!, b!, c!]), [10, 13, 30]);
});

t.test("make reconcile's script repairs and says so", async (t) => {
  const { app, config } = await build(t, { auth });
  const [a] = await seedFlights(app.sql, [{ total: 10 }]);
  await app.redis.set(keys.seatsAvailable(a!), "4");
  const env = { ...process.env, REDIS_URL: config.redisUrl, FLIGHTS_DATABASE_URL: config.flightsDatabaseUrl };
  const run = promisify(execFile);
  const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "scripts/reconcile.ts"], {
    cwd: PROJECT_ROOT,
    env,
  });
  t.same(JSON.parse(stdout), { flights_checked: 1, drift: [{ flight_id: a, redis: 4, expected: 10 }], repaired: 1 });
  t.match(stderr, /1 flights checked, 1 drifted, 1 repaired/);
  t.equal(await app.redis.get(keys.seatsAvailable(a!)), "10");
});
