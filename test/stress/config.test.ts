import t from "tap";
import { ConfigError } from "../../lib/config-parse.js";
import { loadStressConfig } from "../../stress/config.js";
import { REFUSED_ONLY_BY, refusedByOthers } from "../helpers/config.js";

t.test("defaults: the services where make run starts them", async (t) => {
  t.same(loadStressConfig({}), {
    redisUrl: "redis://127.0.0.1:6390",
    redisClusterNodes: [],
    flightsDatabaseUrl: "postgres://skybook@127.0.0.1:5440/flights_db",
    bookingsDatabaseUrl: "postgres://skybook@127.0.0.1:5440/bookings_db",
    stress: {
      flightUrl: "http://127.0.0.1:8080",
      bookingUrl: "http://127.0.0.1:8081",
      paymentUrl: "http://127.0.0.1:8082",
      userUrl: "http://127.0.0.1:8083",
      adminUsername: "",
      adminPassword: "",
      serviceSecret: { keyDir: ".run/keys", serviceSecretFile: "" },
      settleTimeoutSeconds: 120,
      requestTimeoutSeconds: 30,
      clusterRunDir: ".run/cluster",
      clusterInstancePort: 8180,
    },
  });
});

t.test("its own settings are checked; the services' rules are theirs", async (t) => {
  const err = t.throws(() =>
    loadStressConfig({ STRESS_BOOKING_URL: "booking:8081", STRESS_SETTLE_TIMEOUT_SECONDS: "0" }),
  ) as ConfigError;
  t.ok(err instanceof ConfigError);
  t.same(err.problems, [
    "STRESS_BOOKING_URL=booking:8081: expected a URL starting with http:// or https://",
    "STRESS_SETTLE_TIMEOUT_SECONDS=0: expected an integer from 1 to 3600",
  ]);
  t.throws(() => loadStressConfig(REFUSED_ONLY_BY.stress), ConfigError);
  t.doesNotThrow(() => loadStressConfig({ ...refusedByOthers("stress"), LOG_LEVEL: "loud" }));
});
