import { type Config, loadConfig } from "../../lib/config.js";

/** The config the tests use: the environment `make test` set up, quiet logs, plus overrides. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ ...process.env, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent", ...overrides });
}
