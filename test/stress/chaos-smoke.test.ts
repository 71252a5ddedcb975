import t from "tap";
import { createSql } from "../../lib/postgres-plugin.js";
import { registerCustomers } from "../../stress/accounts.js";
import type { Fault } from "../../stress/chaos/faults.js";
import { runLine } from "../../stress/chaos/report.js";
import { runFault } from "../../stress/chaos/run-fault.js";
import { Services } from "../../stress/services.js";
import { fileAuth } from "../helpers/auth.js";
import { testDataConfig } from "../helpers/config.js";
import { startSystem, waitFor } from "../helpers/system.js";
import { TcpProxy } from "../helpers/tcp-proxy.js";

// `make chaos` in small: one fault run of the harness (load, fault, repair, settle, every
// invariant) against the services in-process, PostgreSQL cut for 2 s behind a proxy.

t.test("a fault run with PostgreSQL away for 2 s passes every invariant", async (t) => {
  const base = testDataConfig();
  const proxy = await TcpProxy.start(Number(new URL(base.flightsDatabaseUrl).port));
  t.teardown(() => proxy.cut());
  const auth = await fileAuth();
  const sys = await startSystem(t, [], {
    auth,
    env: {
      FLIGHTS_DATABASE_URL: proxy.via(base.flightsDatabaseUrl),
      BOOKINGS_DATABASE_URL: proxy.via(base.bookingsDatabaseUrl),
      BOOKING_RETRY_MAX_SECONDS: "2",
    },
  });
  // The harness reads the stores directly, not through the proxy it cuts.
  const flightsSql = createSql(base.flightsDatabaseUrl, 2);
  const bookingsSql = createSql(base.bookingsDatabaseUrl, 2);
  // As `make chaos` does: customers registered at user-svc, admin and service calls with tokens.
  const services = new Services({
    flight: sys.flightUrl,
    booking: sys.bookingUrl,
    payment: sys.paymentUrl,
    user: auth.url,
  });
  services.signInAdmin({ authorization: `Bearer ${(await auth.admin()).token}` });
  services.signInService({ authorization: `Bearer ${(await auth.service()).token}` });
  const customers = await registerCustomers(services.user, 8);
  t.teardown(() => Promise.all([flightsSql.end({ timeout: 1 }), bookingsSql.end({ timeout: 1 }), services.close()]));

  const fault: Fault = {
    name: "pg-cut-2",
    description: "PostgreSQL unreachable for 2 s",
    seconds: 2,
    kills: [],
    losesHolds: false,
    inject: () => proxy.cut(),
    repair: () => proxy.restore(),
  };
  const lines: string[] = [];
  const r = await runFault({
    fault,
    run: 1,
    seed: 11,
    connections: 8,
    faultAtSeconds: 2,
    // Load long enough after the repair for a booking to be confirmed on a busy machine.
    afterSeconds: 6,
    settleLimitSeconds: 40,
    recoverLimitSeconds: 10,
    timeoutSeconds: 10,
    services,
    customers,
    flightsSql,
    bookingsSql,
    redis: sys.redis,
    progress: null,
    log: (l) => lines.push(l),
    ready: async () => {
      const ok = await waitFor(async () => (await sys.bookingCall("GET", "/ready")).status === 200, 10_000);
      if (!ok) throw new Error("booking-svc not ready");
    },
    restarts: async () => new Map(),
  });
  t.comment(runLine(r));
  t.equal(r.error, undefined);
  t.same(
    r.invariants.filter((i) => !i.ok),
    [],
    "every invariant holds",
  );
  t.same(
    r.invariants.slice(0, 5).map((i) => i.name),
    [
      "every request answered 2xx, 4xx or 503",
      "no service died by itself",
      "settled within 40 s of the fault",
      "no paid booking lost its seats to a release",
      "bookings confirmed again within 10 s of the repair",
    ],
  );
  t.ok(r.invariants.length >= 14, "and the stress harness' own");
  t.ok((r.duringFault["503"] ?? 0) > 0, "the outage was answered 503");
  t.ok(r.ok);
});
