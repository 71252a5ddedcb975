import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { SAMPLE_FLIGHTS } from "../../flight-svc/data/sample-flights.js";
import type { LogStream } from "../../lib/fastify-options.js";
import { buildApp } from "../../user-svc/app.js";
import type { UserConfig } from "../../user-svc/config.js";
import { testUserConfig } from "./config.js";
import { build as buildFlight } from "./flight-svc.js";
import { resetStores } from "./reset.js";

export interface UserBuildOptions {
  /** Settings over the test environment's and the cheap scrypt cost below. */
  env?: Record<string, string>;
  /** false: Redis and users_db stay as they are (another instance beside a running one). */
  reset?: boolean;
  /** Listen on 127.0.0.1 (a free port) for tests that talk real HTTP; `url` is then set. */
  listen?: boolean;
  /** Where its log lines go (with LOG_LEVEL in `env`; tests log nothing by default). */
  logStream?: LogStream;
  /**
   * A flight-svc with the original's 16 flights (ids 1–16) for user-svc to ask whether a flight
   * exists before a subscription to it (FLIGHT_SERVICE_URL, unless `env` names another).
   */
  flights?: boolean;
}

/**
 * user-svc built as its server builds it, on the test file's stores (Redis and users_db emptied
 * unless `reset` is false), with a signing key made in a temporary folder unless `env` names one;
 * scrypt at its lowest cost so that tests do not wait on hashing. Closed on teardown.
 */
export async function build(
  t: { teardown: (fn: () => unknown) => void },
  opts: UserBuildOptions = {},
): Promise<{ app: FastifyInstance; config: UserConfig; url: string; keyDir: string }> {
  const keyDir = await mkdtemp(join(tmpdir(), "skybook-keys-"));
  t.teardown(() => rm(keyDir, { recursive: true, force: true }));
  // flight-svc first: its reset loads the flights into flights_db; user-svc's empties Redis
  // again, which flight-svc reads through (its seat counters come back from flights_db).
  const flightSvc: Record<string, string> = opts.flights
    ? { FLIGHT_SERVICE_URL: (await buildFlight(t, { flights: SAMPLE_FLIGHTS, listen: true })).url }
    : {};
  const config = testUserConfig({ AUTH_KEY_DIR: keyDir, SCRYPT_COST: "1024", ...flightSvc, ...opts.env });
  const app = await buildApp({ config, logStream: opts.logStream });
  t.teardown(() => app.close());
  await app.ready();
  if (opts.reset !== false) await resetStores(app.redis, app.sql);
  const url = opts.listen ? await app.listen({ host: "127.0.0.1", port: 0 }) : "";
  return { app, config, url, keyDir: config.user.keyDir };
}
