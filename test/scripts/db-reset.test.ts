import { createServer } from "node:http";
import t from "tap";
import { createSql, type Sql } from "../../lib/postgres-plugin.js";
import { closeRedis, createRedis } from "../../lib/redis-plugin.js";
import { RESET_ADMIN } from "../../scripts/data/admin-token.js";
import { describeFailure, storesOf } from "../../scripts/data/cli.js";
import { recreateDatabase } from "../../scripts/data/recreate-db.js";
import { dbReset } from "../../scripts/db-reset.js";
import { startAuth } from "../helpers/auth.js";
import { testDataConfig } from "../helpers/config.js";
import { freePort } from "../helpers/free-port.js";
import { build as buildPayment, charge } from "../helpers/payment-mock.js";

// db-reset works on databases of its own here (and Redis database 15), so the shared test
// databases are left alone.
const base = testDataConfig();
const urlOf = (database: string, user?: string) => {
  const u = new URL(base.flightsDatabaseUrl);
  u.pathname = `/${database}`;
  if (user) u.username = user;
  return u.toString();
};
const admin = createSql(urlOf("postgres"), 1);
const redisUrl = (() => {
  const u = new URL(base.redisUrl);
  u.pathname = "/15";
  return u.toString();
})();
const redis = createRedis(redisUrl);

// A stand-in payment-mock that records the resets it is asked for.
let paymentStatus = 204;
const paymentResets: string[] = [];
const payments = createServer((req, res) => {
  paymentResets.push(`${req.method} ${req.url}`);
  res.writeHead(paymentStatus).end();
});
await new Promise<void>((resolve) => payments.listen(0, "127.0.0.1", resolve));
const paymentUrl = `http://127.0.0.1:${(payments.address() as { port: number }).port}`;
const nobody = `http://127.0.0.1:${await freePort()}`;

t.teardown(async () => {
  for (const db of ["reset_test_flights", "reset_test_bookings", "reset_test_limited_db"]) {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  }
  await admin`DROP ROLE IF EXISTS reset_test_limited`;
  await admin.end({ timeout: 5 });
  await closeRedis(redis);
  payments.close();
});

async function withDb<T>(url: string, f: (sql: Sql) => Promise<T>): Promise<T> {
  const sql = createSql(url, 1);
  try {
    return await f(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

const tableExists = (url: string, table: string) =>
  withDb(
    url,
    async (sql) => (await sql<{ t: string | null }[]>`SELECT to_regclass(${table})::text AS t`)[0]!.t !== null,
  );

function config(overrides: Record<string, string> = {}) {
  return testDataConfig({
    FLIGHTS_DATABASE_URL: urlOf("reset_test_flights"),
    BOOKINGS_DATABASE_URL: urlOf("reset_test_bookings"),
    REDIS_URL: redisUrl,
    PAYMENT_SERVICE_URL: paymentUrl,
    FLIGHT_SERVICE_URL: nobody,
    DEMO_FLIGHTS_PER_DAY: "100",
    DEMO_DAYS: "1",
    DEMO_START_DATE: "2024-02-15",
    ...overrides,
  });
}

t.beforeEach(async () => {
  paymentStatus = 204;
  paymentResets.length = 0;
  for (const db of ["reset_test_flights", "reset_test_bookings"]) {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await admin.unsafe(`CREATE DATABASE ${db}`);
    await withDb(urlOf(db), (sql) => sql`CREATE TABLE leftover (x int)`);
  }
  await redis.set("idem:booking:old", "1");
});

t.test("drops and creates both databases, migrates, flushes Redis, resets payments, loads the demo data", async (t) => {
  const lines: string[] = [];
  t.equal(await dbReset(config(), [], (l) => lines.push(l)), true);
  for (const db of ["reset_test_flights", "reset_test_bookings"]) {
    t.equal(await tableExists(urlOf(db), "leftover"), false, `${db} was emptied`);
    t.ok(lines.some((l) => l.includes(`dropped and created postgres://skybook@`) && l.includes(db)));
  }
  t.equal(await tableExists(urlOf("reset_test_bookings"), "bookings"), true, "bookings migrated");
  const flights = await withDb(urlOf("reset_test_flights"), (sql) => sql`SELECT id::int FROM flights ORDER BY id`);
  t.equal(flights.length, 116, "16 sample + 100 generated");
  t.equal(flights[15]!.id, 16);
  t.equal(await redis.exists("idem:booking:old"), 0, "redis flushed");
  t.strictSame(paymentResets, ["POST /api/payments/reset"]);
  t.ok(lines.some((l) => /db-reset: 116 flights \(16 sample \+ 100 a day × 1 day/.test(l)));
});

t.test("takes the generate-data flags", async (t) => {
  await dbReset(config(), ["--flights-per-day", "20", "--seed", "3"], () => {});
  const [r] = await withDb(urlOf("reset_test_flights"), (sql) => sql`SELECT count(*)::int AS n FROM flights`);
  t.equal(r!.n, 36);
});

t.test("one database for both URLs is reset once and holds both schemas", async (t) => {
  const lines: string[] = [];
  await dbReset(config({ BOOKINGS_DATABASE_URL: urlOf("reset_test_flights") }), [], (l) => lines.push(l));
  t.ok(lines.some((l) => l.includes("bookings: the same database as above")));
  t.equal(await tableExists(urlOf("reset_test_flights"), "bookings"), true);
  t.equal(await tableExists(urlOf("reset_test_flights"), "flights"), true);
  t.equal(await tableExists(urlOf("reset_test_bookings"), "leftover"), true, "the other database untouched");
});

t.test("a payment-mock that does not forget makes db-reset fail, saying so", async (t) => {
  paymentStatus = 500;
  const lines: string[] = [];
  t.equal(await dbReset(config(), [], (l) => lines.push(l)), false);
  t.ok(lines.some((l) => l.includes("answered 500; restart payment-mock")));
  const stopped = await dbReset(config({ PAYMENT_SERVICE_URL: nobody }), [], (l) => lines.push(l));
  t.equal(stopped, true, "a payment-mock that is not running has nothing to forget");
  t.ok(lines.some((l) => l.includes("payment-mock: not running")));
});

// A real payment-mock, and the user-svc whose tokens it requires unless it runs with AUTH_MODE=off.
const auth = await startAuth(t);
const service = await auth.service();
const roleOf = async (username: string) =>
  (await auth.app.sql<{ role: string }[]>`SELECT role FROM users WHERE username = ${username}`)[0]?.role;
const withMock = (mockUrl: string, userUrl = auth.url) =>
  config({ PAYMENT_SERVICE_URL: mockUrl, USER_SERVICE_URL: userUrl, SCRYPT_COST: "1024" });

t.test("AUTH_MODE=off: payment-mock forgets its payments without a token", async (t) => {
  const mock = await buildPayment(t);
  const paid = await mock.call("POST", "/api/payments/process", charge());
  const lines: string[] = [];
  // No user-svc to sign in at: none is needed.
  t.equal(await dbReset(withMock(mock.url, nobody), [], (l) => lines.push(l)), true);
  t.ok(lines.includes(`db-reset: payment-mock: forgot its payments (${mock.url}/api/payments/reset)`));
  t.equal((await mock.call("GET", `/api/payments/${paid.body.payment_id}`)).status, 404);
});

t.test("a customer account named db-reset is not made an admin: the reset fails, saying so", async (t) => {
  const mock = await buildPayment(t, { auth });
  const squatter = await auth.customer(RESET_ADMIN);
  const lines: string[] = [];
  t.equal(await dbReset(withMock(mock.url), [], (l) => lines.push(l)), false);
  t.ok(
    lines.includes(
      `db-reset: payment-mock: ${mock.url}/api/payments/reset takes an admin's token, and db-reset could not sign in ` +
        `as its admin (the account ${RESET_ADMIN} is a customer, not db-reset's admin: rename it); restart ` +
        "payment-mock to forget its payments",
    ),
  );
  t.equal(await roleOf(RESET_ADMIN), "customer");
  await auth.app.sql`UPDATE users SET username = 'renamed' WHERE id = ${squatter.userId}`;
});

t.test("user-svc not running: db-reset cannot sign in and fails, saying so", async (t) => {
  const mock = await buildPayment(t, { auth });
  const lines: string[] = [];
  t.equal(await dbReset(withMock(mock.url, nobody), [], (l) => lines.push(l)), false);
  t.ok(
    lines.some((l) =>
      l.includes(
        `could not sign in as its admin (user-svc at ${nobody}/api/auth/login could not be reached (ECONNREFUSED))`,
      ),
    ),
  );
});

t.test("tokens required: db-reset signs in as an admin of its own and payment-mock forgets", async (t) => {
  const mock = await buildPayment(t, { auth });
  const paid = await mock.call("POST", "/api/payments/process", charge(), service.headers);
  t.equal(paid.status, 200);
  const lines: string[] = [];
  t.equal(await dbReset(withMock(mock.url), [], (l) => lines.push(l)), true);
  t.ok(lines.includes(`db-reset: payment-mock: forgot its payments (${mock.url}/api/payments/reset)`));
  t.equal((await mock.call("GET", `/api/payments/${paid.body.payment_id}`, undefined, service.headers)).status, 404);
  t.equal(await roleOf(RESET_ADMIN), "admin");
  t.equal(await dbReset(withMock(mock.url), [], () => {}), true, "and again: its password is made anew");
});

t.test("a role that may not create databases gets its schema emptied instead, and is told why", async (t) => {
  await admin`DROP ROLE IF EXISTS reset_test_limited`;
  await admin`CREATE ROLE reset_test_limited LOGIN NOCREATEDB`;
  await admin.unsafe("DROP DATABASE IF EXISTS reset_test_limited_db");
  await admin.unsafe("CREATE DATABASE reset_test_limited_db OWNER reset_test_limited");
  const url = urlOf("reset_test_limited_db", "reset_test_limited");
  await withDb(url, (sql) => sql`CREATE TABLE leftover (x int)`);
  const r = await recreateDatabase(url);
  t.match(r, { database: "reset_test_limited_db", how: "schema", reason: /may not create databases/ });
  t.equal(await tableExists(url, "leftover"), false);
  await withDb(url, (sql) => sql`CREATE TABLE fresh (x int)`);
  t.equal(await tableExists(url, "fresh"), true, "the role can build in the new schema");
});

t.test("a server that cannot be reached fails with both reasons", async (t) => {
  const port = new URL(nobody).port;
  await t.rejects(
    recreateDatabase(`postgres://skybook:secret@127.0.0.1:${port}/flights_db`),
    /postgres:\/\/skybook:\*\*\*@127\.0\.0\.1:\d+\/flights_db: could not drop the database \(.*\) nor its schema public/,
  );
});

t.test("make db-reset names a PostgreSQL that refuses connections in one line", async (t) => {
  const port = new URL(nobody).port;
  const url = `postgres://skybook@127.0.0.1:${port}/flights_db`;
  const err = await recreateDatabase(url).catch((e: unknown) => e);
  t.equal(
    describeFailure(
      err,
      storesOf({ flightsDatabaseUrl: url, bookingsDatabaseUrl: url.replace("flights", "bookings") }),
    ),
    `PostgreSQL at 127.0.0.1:${port} refused the connection: start it (make up, or scripts/infra.sh up, with the ` +
      "same PG_PORT) or name a running server with FLIGHTS_DATABASE_URL / BOOKINGS_DATABASE_URL",
  );
});
