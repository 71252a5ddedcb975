import t from "tap";
import { loadFlightConfig } from "../../flight-svc/config.js";
import { ConfigError } from "../../lib/config-parse.js";
import { REFUSED_ONLY_BY, refusedByOthers } from "../helpers/config.js";

t.test("defaults need no environment", async (t) => {
  const c = loadFlightConfig({});
  t.equal(c.flight.port, 8080);
  t.equal(c.redisUrl, "redis://127.0.0.1:6390");
  t.equal(c.flightsDatabaseUrl, "postgres://skybook@127.0.0.1:5440/flights_db");
  t.equal(c.flight.minConnectionMinutes, 45);
  t.equal(c.flight.holdSettleGraceMs, 90_000);
  t.same(c.http, {
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 30_000,
    keepAliveTimeoutMs: 72_000,
    maxConnections: 8_192,
  });
});

t.test("a bad value names the variable and what it accepts", async (t) => {
  const err = t.throws(() => loadFlightConfig({ FLIGHT_PORT: "eighty" })) as ConfigError;
  t.ok(err instanceof ConfigError);
  t.match(err.message, /FLIGHT_PORT=eighty: expected an integer from 0 to 65535/);
});

t.test("every bad value is reported at once", async (t) => {
  const err = t.throws(() =>
    loadFlightConfig({ LOG_LEVEL: "loud", REDIS_URL: "http://x", HTTP_HEADERS_TIMEOUT_MS: "40000" }),
  ) as ConfigError;
  t.same(err.problems, [
    "LOG_LEVEL=loud: expected one of fatal, error, warn, info, debug, trace, silent",
    "HTTP_HEADERS_TIMEOUT_MS: expected at most HTTP_REQUEST_TIMEOUT_MS",
    "REDIS_URL=http://x: expected a URL starting with redis:// or rediss://",
  ]);
});

t.test("its rules are its own: booking-svc's, payment-mock's and the tools' settings do not stop it", async (t) => {
  t.throws(() => loadFlightConfig(REFUSED_ONLY_BY.flight), ConfigError);
  // booking-svc refuses this grace against its default retry timing; flight-svc just uses it.
  const c = loadFlightConfig({ ...refusedByOthers("flight"), HOLD_SETTLE_GRACE_MS: "30000" });
  t.equal(c.flight.holdSettleGraceMs, 30_000);
  t.notOk("booking" in c || "payment" in c, "no other service's section");
});
