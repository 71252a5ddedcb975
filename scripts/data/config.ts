// The settings of the data scripts (migrate, seed, generate-data, db-reset, reconcile): the
// stores they write, the running services db-reset tells about it (and user-svc, where it signs
// in to do so), and the demo schedule.
import { readBookingsDatabaseUrl, readUpstreamUrls } from "../../booking-svc/config.js";
import { readFlightsDatabaseUrl } from "../../flight-svc/config.js";
import { readAuthSettings } from "../../lib/auth/settings.js";
import { type Env, Reader } from "../../lib/config-parse.js";
import { isCalendarDate } from "../../lib/input-schemas.js";
import { readRedisClusterNodes, readRedisUrl } from "../../lib/server-config.js";
import { readScryptCost, readUsersDatabaseUrl } from "../../user-svc/config.js";

export function loadDataConfig(env: Env = process.env) {
  const r = new Reader(env);
  const config = {
    redisUrl: readRedisUrl(r),
    redisClusterNodes: readRedisClusterNodes(r),
    flightsDatabaseUrl: readFlightsDatabaseUrl(r),
    bookingsDatabaseUrl: readBookingsDatabaseUrl(r),
    usersDatabaseUrl: readUsersDatabaseUrl(r),
    services: readUpstreamUrls(r),
    auth: readAuthSettings(r),
    // db-reset's admin account (admin-token.ts) is hashed as user-svc hashes passwords.
    scryptCost: readScryptCost(r),
    // The demo schedule (generate-data, seed-if-empty, db-reset); CLI flags override these.
    demo: {
      seed: r.int("DEMO_SEED", 42, 0, 2 ** 31 - 1),
      flightsPerDay: r.int("DEMO_FLIGHTS_PER_DAY", 3_000, 0, 1_000_000),
      days: r.int("DEMO_DAYS", 3, 1, 366),
      // Today (UTC) unless set, so that a fresh demo has flights to book and check in tomorrow; the
      // original's 16 sample flights stay on 2024-02-15 whatever this says.
      startDate: r.str("DEMO_START_DATE", new Date().toISOString().slice(0, 10)),
    },
  };
  // A day the API takes (2000-01-01 to 2099-12-31): other days' flights could never be booked.
  if (!isCalendarDate(config.demo.startDate)) {
    r.problems.push(
      `DEMO_START_DATE=${config.demo.startDate}: expected a date YYYY-MM-DD from 2000-01-01 to 2099-12-31`,
    );
  }
  return r.done(config);
}

export type DataConfig = ReturnType<typeof loadDataConfig>;
