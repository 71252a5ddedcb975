import { loadBookingConfig } from "../../booking-svc/config.js";
import { loadFlightConfig } from "../../flight-svc/config.js";
import { loadPaymentConfig } from "../../payment-mock/config.js";
import { loadDataConfig } from "../../scripts/data/config.js";
import { loadUserConfig } from "../../user-svc/config.js";

type Overrides = Record<string, string>;

/**
 * The environment `make test` set up, quiet logs, plus overrides. AUTH_MODE is off unless a test
 * says otherwise: tests of who may call what start a real user-svc (auth.ts) and pass its `env`.
 */
function testEnv(overrides: Overrides): Record<string, string | undefined> {
  return { ...process.env, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent", AUTH_MODE: "off", ...overrides };
}

export const testFlightConfig = (overrides: Overrides = {}) => loadFlightConfig(testEnv(overrides));
export const testBookingConfig = (overrides: Overrides = {}) => loadBookingConfig(testEnv(overrides));
// The store's cap at 10,000, not 500,000: lru-cache allocates its cap's slots up front, 40 ms
// of CPU a cache and two caches a payment-mock, which the suite's 500-odd builds and resets paid.
export const testPaymentConfig = (overrides: Overrides = {}) =>
  loadPaymentConfig(testEnv({ PAYMENT_MAX_STORED: "10000", ...overrides }));
export const testUserConfig = (overrides: Overrides = {}) => loadUserConfig(testEnv(overrides));
export const testDataConfig = (overrides: Overrides = {}) => loadDataConfig(testEnv(overrides));

/** Per owner, settings that only this owner reads and that its rules refuse. */
export const REFUSED_ONLY_BY = {
  flight: { FLIGHT_PORT: "eighty", MAX_LAYOVER_MINUTES: "0" },
  // 20 s is not more than PAYMENT_TIMEOUT_MS + 3 × FLIGHT_TIMEOUT_MS; retries 120 s apart outlast
  // flight-svc's settle grace.
  booking: { BOOKING_PENDING_DEADLINE_SECONDS: "20", BOOKING_RETRY_MAX_SECONDS: "120" },
  payment: {
    PAYMENT_FAILURE_RATE: "0.8",
    PAYMENT_TIMEOUT_RATE: "0.5",
    PAYMENT_LATENCY_MIN_MS: "300",
    PAYMENT_LATENCY_MAX_MS: "100",
  },
  data: { DEMO_START_DATE: "tomorrow" },
  stress: { STRESS_FLIGHT_URL: "nowhere", STRESS_SETTLE_TIMEOUT_SECONDS: "0" },
};

/** Every other owner's refused settings at once: what `owner` must start with. */
export function refusedByOthers(owner: keyof typeof REFUSED_ONLY_BY): Overrides {
  return Object.assign({}, ...Object.entries(REFUSED_ONLY_BY).flatMap(([o, env]) => (o === owner ? [] : [env])));
}
