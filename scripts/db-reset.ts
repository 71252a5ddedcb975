// `make db-reset`: starts the local stores if need be (scripts/infra.sh up), empties flights_db
// and bookings_db (local or given by URLs), applies the migrations, flushes Redis' database, tells
// a running payment-mock to forget its payments and loads the demo data. Takes the same flags as
// generate-data (--seed, --flights-per-day, ...).
import { spawnSync } from "node:child_process";
import { projectPath } from "../lib/paths.js";
import { eachMaster } from "../lib/redis-nodes.js";
import { closeRedis, createRedis } from "../lib/redis-plugin.js";
import { configOrExit } from "../lib/server.js";
import { adminToken } from "./data/admin-token.js";
import { describeFailure, isMain, run, storesOf } from "./data/cli.js";
import { type DataConfig, loadDataConfig } from "./data/config.js";
import { parseSeedOptions, USAGE, UsageError } from "./data/options.js";
import { databaseKey, recreateDatabase, redact } from "./data/recreate-db.js";
import { describeSeed, seedFlights } from "./data/seed.js";
import { migrateAll } from "./migrate.js";

type Log = (line: string) => void;

/**
 * The payments of the old data go with its bookings, so that payment-mock's payments and totals are
 * those of the bookings there are. Where tokens are required (AUTH_MODE=required, the default) the
 * reset is an admin's: payment-mock's 401 is answered by asking again with db-reset's admin token;
 * with AUTH_MODE=off the first ask does it.
 */
async function forgetPayments(config: DataConfig, log: Log): Promise<boolean> {
  const url = `${config.services.paymentServiceUrl}/api/payments/reset`;
  const reset = (headers: Record<string, string> = {}) =>
    fetch(url, { method: "POST", headers, signal: AbortSignal.timeout(5_000) });
  try {
    let res = await reset();
    if (res.status === 401) {
      let token: string;
      try {
        token = await adminToken(config);
      } catch (err) {
        const why = describeFailure(err, storesOf({ usersDatabaseUrl: config.usersDatabaseUrl }));
        log(
          `db-reset: payment-mock: ${url} takes an admin's token, and db-reset could not sign in as its admin ` +
            `(${why}); restart payment-mock to forget its payments`,
        );
        return false;
      }
      res = await reset({ authorization: `Bearer ${token}` });
    }
    if (res.status === 204) {
      log(`db-reset: payment-mock: forgot its payments (${url})`);
      return true;
    }
    log(`db-reset: payment-mock: ${url} answered ${res.status}; restart payment-mock to forget its payments`);
    return false;
  } catch (err) {
    const code = (err as { cause?: { code?: string } }).cause?.code;
    if (code === "ECONNREFUSED") {
      log("db-reset: payment-mock: not running, nothing to forget");
      return true;
    }
    log(
      `db-reset: payment-mock: ${url} failed (${(err as Error).message}); restart payment-mock to forget its payments`,
    );
    return false;
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
}

/** Resets everything; returns false when a step could not be done (each one says why). */
export async function dbReset(
  config: DataConfig,
  argv: readonly string[] = [],
  log: Log = console.log,
): Promise<boolean> {
  const opts = parseSeedOptions(argv, config.demo);
  const done = new Set<string>();
  for (const [name, url] of [
    ["flights", config.flightsDatabaseUrl],
    ["bookings", config.bookingsDatabaseUrl],
  ] as const) {
    if (done.has(databaseKey(url))) {
      log(`db-reset: ${name}: the same database as above (${redact(url)})`);
      continue;
    }
    done.add(databaseKey(url));
    const r = await recreateDatabase(url);
    log(
      r.how === "recreated"
        ? `db-reset: ${name}: dropped and created ${redact(url)}`
        : `db-reset: ${name}: dropped and created schema public of ${redact(url)} (the database itself: ${r.reason})`,
    );
  }
  await migrateAll(config);
  const redis = createRedis(config.redisUrl, config.redisClusterNodes);
  redis.on("error", () => {});
  try {
    await eachMaster(redis, (node) => node.flushdb());
    log(`db-reset: redis: flushed ${redact(config.redisUrl)}`);
  } finally {
    await closeRedis(redis);
  }
  const paymentsForgotten = await forgetPayments(config, log);
  const report = await seedFlights(config, opts, "replace");
  log(`db-reset: ${describeSeed(opts, report)}`);
  if (await answers(`${config.services.flightServiceUrl}/health`)) {
    log(
      "db-reset: flight-svc is running: restart the services (make down; make up) so they drop what they hold in memory",
    );
  }
  return paymentsForgotten;
}

/**
 * The environment infra.sh is started with. Through scripts/local-env.sh (`make db-reset`) every
 * store URL is set, derived from REDIS_PORT and PG_PORT, and infra.sh, which starts no server a URL
 * names, started none: it gets the URLs the user gave (GIVEN_*), run by hand the ones set.
 */
function infraEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const [name, given] of Object.entries(process.env)) {
    if (name.startsWith("GIVEN_")) env[name.slice("GIVEN_".length)] = given;
  }
  return env;
}

if (isMain(import.meta.url)) {
  const config = configOrExit("db-reset", loadDataConfig);
  run(
    "db-reset",
    async () => {
      try {
        if (parseSeedOptions(process.argv.slice(2), config.demo).help) {
          process.stdout.write(`usage: db-reset [options] (--reset is implied)\n${USAGE}\n`);
          return 0;
        }
      } catch (err) {
        if (!(err instanceof UsageError)) throw err;
        process.stderr.write(`db-reset: ${err.message}\n${USAGE}\n`);
        return 2;
      }
      // The stores start once the arguments are known good: a mistyped flag is refused at once,
      // not after Redis and PostgreSQL came up for nothing. infra.sh starts none a *_URL names.
      if (spawnSync(projectPath("scripts", "infra.sh"), ["up"], { stdio: "inherit", env: infraEnv() }).status !== 0) {
        return 1;
      }
      const ok = await dbReset(config, process.argv.slice(2));
      return ok ? 0 : 1;
    },
    storesOf(config),
  );
}
