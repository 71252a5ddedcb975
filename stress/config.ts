// The stress harness' settings (make stress-test, make chaos): the services it loads, the stores
// it checks the invariants in, and how long it waits.
import { readBookingsDatabaseUrl } from "../booking-svc/config.js";
import { readFlightsDatabaseUrl } from "../flight-svc/config.js";
import { readAuthSettings } from "../lib/auth/settings.js";
import { type Env, HTTP_PROTOCOLS, Reader } from "../lib/config-parse.js";
import { readRedisClusterNodes, readRedisUrl } from "../lib/server-config.js";

export function loadStressConfig(env: Env = process.env) {
  const r = new Reader(env);
  const auth = readAuthSettings(r);
  return r.done({
    redisUrl: readRedisUrl(r),
    // Set for --topology cluster: the checks read the counters on the node of each flight.
    redisClusterNodes: readRedisClusterNodes(r),
    flightsDatabaseUrl: readFlightsDatabaseUrl(r),
    bookingsDatabaseUrl: readBookingsDatabaseUrl(r),
    stress: {
      flightUrl: r.url("STRESS_FLIGHT_URL", "http://127.0.0.1:8080", HTTP_PROTOCOLS),
      bookingUrl: r.url("STRESS_BOOKING_URL", "http://127.0.0.1:8081", HTTP_PROTOCOLS),
      paymentUrl: r.url("STRESS_PAYMENT_URL", "http://127.0.0.1:8082", HTTP_PROTOCOLS),
      userUrl: r.url("STRESS_USER_URL", "http://127.0.0.1:8083", HTTP_PROTOCOLS),
      // The operator account the harness signs in as for admin calls (scripts/stress.sh makes
      // one with scripts/user.ts when it starts the system itself).
      adminUsername: r.str("STRESS_ADMIN_USERNAME", ""),
      adminPassword: r.str("STRESS_ADMIN_PASSWORD", ""),
      // Where booking-svc's client secret is: the harness reads payments by key and books seats
      // up front (decrement) with booking-svc's service credential, as booking-svc does.
      serviceSecret: { keyDir: auth.keyDir, serviceSecretFile: auth.serviceSecretFile },
      // Bound on the wait for pending bookings and holds to settle before the invariant checks.
      settleTimeoutSeconds: r.int("STRESS_SETTLE_TIMEOUT_SECONDS", 120, 1, 3_600),
      requestTimeoutSeconds: r.int("STRESS_REQUEST_TIMEOUT_SECONDS", 30, 1, 600),
      // --topology cluster: where `make cluster-up` keeps the PID files (the failover kills by
      // them) and the first port of its service instances (scripts/cluster.sh).
      clusterRunDir: r.str("STRESS_CLUSTER_RUN_DIR", ".run/cluster"),
      clusterInstancePort: r.int("STRESS_CLUSTER_INSTANCE_PORT", 8180, 1, 65535),
    },
  });
}

export type StressConfig = ReturnType<typeof loadStressConfig>;
