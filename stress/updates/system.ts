import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { buildApp as buildBooking } from "../../booking-svc/app.js";
import { loadBookingConfig } from "../../booking-svc/config.js";
import { buildApp as buildFlight } from "../../flight-svc/app.js";
import { loadFlightConfig } from "../../flight-svc/config.js";
import { buildApp as buildPayment } from "../../payment-mock/app.js";
import { loadPaymentConfig } from "../../payment-mock/config.js";
import { buildApp as buildUser } from "../../user-svc/app.js";
import { loadUserConfig, type UserConfig } from "../../user-svc/config.js";

/** What the updates scenario runs against: one flight-svc and payment-mock, two booking-svc and user-svc. */
export interface UpdatesSystem {
  flight: FastifyInstance;
  flightUrl: string;
  paymentUrl: string;
  bookingUrls: string[];
  users: { app: FastifyInstance; url: string; config: UserConfig }[];
  close(): Promise<void>;
}

const listen = (app: FastifyInstance) => app.listen({ host: "127.0.0.1", port: 0 });

/**
 * Builds the services in this process (open API but user-svc) on the Redis and PostgreSQL that REDIS_URL and the
 * *_DATABASE_URL settings name, each on a free port, payments instant and always successful.
 */
export async function startUpdatesSystem(env: Record<string, string | undefined>): Promise<UpdatesSystem> {
  const base = {
    ...env,
    // The services other than user-svc (which always asks for tokens) run the open API here: the
    // scenario is about events and disruptions; access is the main harness's cross-user invariant.
    AUTH_MODE: "off",
    LOG_LEVEL: env.STRESS_LOG_LEVEL ?? "silent",
    PAYMENT_LATENCY_MS: "0",
    PAYMENT_FAILURE_RATE: "0",
    PAYMENT_TIMEOUT_RATE: "0",
    DISRUPTION_RETRY_MS: "1000",
    BOOKING_SWEEP_MS: "250",
    SCRYPT_COST: "1024",
    UPDATES_MAX_CONNECTIONS_PER_USER: "5",
  };
  const apps: FastifyInstance[] = [];
  const keyDir = await mkdtemp(join(tmpdir(), "skybook-updates-"));
  const start = async (app: FastifyInstance) => {
    apps.push(app);
    return listen(app);
  };
  const flight = await buildFlight({ config: loadFlightConfig(base) });
  const flightUrl = await start(flight);
  const paymentUrl = await start(await buildPayment({ config: loadPaymentConfig(base) }));
  const bookingEnv = { ...base, FLIGHT_SERVICE_URL: flightUrl, PAYMENT_SERVICE_URL: paymentUrl };
  const bookingUrls = [];
  for (let i = 0; i < 2; i++)
    bookingUrls.push(await start(await buildBooking({ config: loadBookingConfig(bookingEnv) })));
  const users = [];
  for (let i = 0; i < 2; i++) {
    const config = loadUserConfig({ ...base, AUTH_KEY_DIR: keyDir, FLIGHT_SERVICE_URL: flightUrl });
    const app = await buildUser({ config });
    users.push({ app, url: await start(app), config });
  }
  return {
    flight,
    flightUrl,
    paymentUrl,
    bookingUrls,
    users,
    async close() {
      for (const app of apps.reverse()) await app.close().catch(() => {});
      await rm(keyDir, { recursive: true, force: true });
    },
  };
}
