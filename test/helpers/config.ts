import { loadBookingConfig } from "../../booking-svc/config.js";
import { loadFlightConfig } from "../../flight-svc/config.js";
import { loadPaymentConfig } from "../../payment-mock/config.js";
import { loadDataConfig } from "../../scripts/data/config.js";

type Overrides = Record<string, string>;

/** The environment `make test` set up, quiet logs, plus overrides. */
function testEnv(overrides: Overrides): Record<string, string | undefined> {
  return { ...process.env, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent", ...overrides };
}

export const testFlightConfig = (overrides: Overrides = {}) => loadFlightConfig(testEnv(overrides));
export const testBookingConfig = (overrides: Overrides = {}) => loadBookingConfig(testEnv(overrides));
export const testPaymentConfig = (overrides: Overrides = {}) => loadPaymentConfig(testEnv(overrides));
export const testDataConfig = (overrides: Overrides = {}) => loadDataConfig(testEnv(overrides));
