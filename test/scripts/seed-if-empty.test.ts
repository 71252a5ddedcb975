import { execFile } from "node:child_process";
import { promisify } from "node:util";
import t from "tap";
import { keys } from "../../flight-svc/inventory/keys.js";
import { projectPath } from "../../lib/paths.js";
import { createSql } from "../../lib/postgres-plugin.js";
import { closeRedis, createRedis } from "../../lib/redis-plugin.js";
import { seedIfEmpty } from "../../scripts/seed-if-empty.js";
import { testDataConfig } from "../helpers/config.js";
import { resetStores } from "../helpers/reset.js";

const run = promisify(execFile);
const small = { DEMO_FLIGHTS_PER_DAY: "100", DEMO_DAYS: "2", DEMO_SEED: "11", DEMO_START_DATE: "2024-02-15" };
const config = testDataConfig(small);
const sql = createSql(config.flightsDatabaseUrl, 1);
const redis = createRedis(config.redisUrl);
t.teardown(async () => {
  await sql.end({ timeout: 5 });
  await closeRedis(redis);
});
const count = async () => (await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM flights`)[0]!.n;

/** Runs a script as `make seed` and scripts/services.sh do (tsx here), with the test's environment. */
function script(name: string, args: string[] = [], env: Record<string, string> = {}) {
  return run(process.execPath, ["--import", "tsx", projectPath("scripts", name), ...args], {
    cwd: projectPath(),
    env: { ...process.env, ...small, ...env },
  }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

t.beforeEach(() => resetStores(redis, sql));

t.test("an empty flights table gets the demo data; stale counters go", async (t) => {
  await redis.set(keys.seatsAvailable(3), "7");
  const r = await seedIfEmpty(config);
  t.match(r, { loaded: 216, existing: 0, redisKeysDeleted: 1 });
  t.equal(await count(), 216);
  t.equal(await redis.exists(keys.seatsAvailable(3)), 0);
  t.strictSame(
    [...(await sql`SELECT flight_number FROM flights WHERE id IN (1, 16) ORDER BY id`)],
    [{ flight_number: "AI101" }, { flight_number: "AI503" }],
  );
});

t.test("flights already there are left alone, and so is Redis", async (t) => {
  await seedIfEmpty(config);
  await sql`UPDATE flights SET booked_seats = 1 WHERE id = 1`;
  await redis.set(keys.seatsAvailable(1), "179");
  t.match(await seedIfEmpty(config), { loaded: 0, existing: 216 });
  t.equal(await count(), 216);
  t.equal(await redis.get(keys.seatsAvailable(1)), "179");
  t.equal((await sql`SELECT booked_seats FROM flights WHERE id = 1`)[0]!.booked_seats, 1);
});

t.test("seeders started together load once", async (t) => {
  const results = await Promise.all([seedIfEmpty(config), seedIfEmpty(config), seedIfEmpty(config)]);
  t.equal(results.filter((r) => r.loaded > 0).length, 1);
  t.equal(await count(), 216);
});

t.test("the seed-if-empty script says what it did", async (t) => {
  const first = await script("seed-if-empty.ts");
  t.equal(first.code, 0, first.stderr);
  t.match(first.stdout, /seed-if-empty: 216 flights \(16 sample \+ 100 a day × 2 days from 2024-02-15, seed 11\)/);
  const second = await script("seed-if-empty.ts");
  t.equal(second.code, 0);
  t.match(second.stdout, /seed-if-empty: flights_db has 216 flights; left as they are/);
});

t.test("DEMO_FLIGHTS_PER_DAY=0 loads exactly the original's 16 flights", async (t) => {
  const r = await script("seed-if-empty.ts", [], { DEMO_FLIGHTS_PER_DAY: "0" });
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /seed-if-empty: 16 flights \(the original's sample only, nothing generated\)/);
  const rows = await sql<{ id: number; flight_number: string; day: string }[]>`
    SELECT id::int, flight_number, to_char(departure_time AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day
    FROM flights ORDER BY id`;
  t.strictSame(
    rows.map((f) => f.id),
    Array.from({ length: 16 }, (_, i) => i + 1),
  );
  t.ok(
    rows.every((f) => f.day === "2024-02-15" && f.flight_number.startsWith("AI")),
    "all on 2024-02-15",
  );
});

t.test("generate-data refuses to load over flights unless --reset, and says so", async (t) => {
  const first = await script("generate-data.ts", ["--flights-per-day", "50", "--days", "1"]);
  t.equal(first.code, 0, first.stderr);
  t.match(first.stdout, /generate-data: 66 flights \(16 sample \+ 50 a day × 1 day from 2024-02-15, seed 11\)/);
  const refused = await script("generate-data.ts");
  t.equal(refused.code, 1);
  t.match(refused.stderr, /flights_db already has 66 flights, so nothing was loaded; --reset replaces them/);
  t.equal(await count(), 66);
  const reset = await script("generate-data.ts", ["--reset", "--seed", "12"]);
  t.equal(reset.code, 0, reset.stderr);
  t.match(reset.stdout, /216 flights .* seed 12\).* replacing 66/);
  t.equal(await count(), 216);
});

t.test("generate-data: a bad flag or setting exits 2 naming it, touching nothing", async (t) => {
  const bad = await script("generate-data.ts", ["--days", "many"]);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /generate-data: --days many: expected an integer from 1 to 366/);
  const badEnv = await script("generate-data.ts", [], { DEMO_START_DATE: "soon" });
  t.equal(badEnv.code, 2);
  t.match(badEnv.stderr, /DEMO_START_DATE=soon: expected a date YYYY-MM-DD/);
  t.equal(await count(), 0);
});
