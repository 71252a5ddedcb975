import t from "tap";
import { loadBookingConfig } from "../../booking-svc/config.js";
import { ConfigError } from "../../lib/config-parse.js";
import { REFUSED_ONLY_BY, refusedByOthers } from "../helpers/config.js";

const DEADLINE_RULE =
  "BOOKING_PENDING_DEADLINE_SECONDS: expected more than PAYMENT_TIMEOUT_MS + 3 × FLIGHT_TIMEOUT_MS (in seconds)";

t.test("defaults need no environment", async (t) => {
  const c = loadBookingConfig({});
  t.equal(c.booking.port, 8081);
  t.equal(c.redisUrl, "redis://127.0.0.1:6390");
  t.equal(c.bookingsDatabaseUrl, "postgres://skybook@127.0.0.1:5440/bookings_db");
  t.equal(c.booking.flightServiceUrl, "http://127.0.0.1:8080");
  t.equal(c.booking.pendingDeadlineSeconds, 60);
});

t.test("the sweeper's deadline must outlast a request's upstream calls", async (t) => {
  // 20 s ≤ 8 s + 3 × 5 s: the sweeper could take over a booking its request still works on.
  const err = t.throws(() => loadBookingConfig({ BOOKING_PENDING_DEADLINE_SECONDS: "20" })) as ConfigError;
  t.ok(err instanceof ConfigError);
  t.same(err.problems, [DEADLINE_RULE]);
  t.doesNotThrow(() => loadBookingConfig({ BOOKING_PENDING_DEADLINE_SECONDS: "24" }));
  const slower = t.throws(() =>
    loadBookingConfig({ BOOKING_PENDING_DEADLINE_SECONDS: "24", FLIGHT_TIMEOUT_MS: "6000" }),
  ) as ConfigError;
  t.same(slower.problems, [DEADLINE_RULE]);
});

t.test("flight-svc's settle grace must outlast booking-svc's longest wait before it retries a confirm", async (t) => {
  const err = t.throws(() =>
    loadBookingConfig({ HOLD_SETTLE_GRACE_MS: "30000", BOOKING_PENDING_DEADLINE_SECONDS: "60" }),
  ) as ConfigError;
  t.same(err.problems, [
    "HOLD_SETTLE_GRACE_MS=30000: expected more than max(BOOKING_PENDING_DEADLINE_SECONDS, BOOKING_RETRY_MAX_SECONDS) × 1000 + BOOKING_SWEEP_MS + FLIGHT_TIMEOUT_MS = 70000, the longest booking-svc may take to retry a confirm; otherwise flight-svc releases seats booking-svc is still confirming",
  ]);
  t.doesNotThrow(() =>
    loadBookingConfig({
      HOLD_SETTLE_GRACE_MS: "20000",
      BOOKING_PENDING_DEADLINE_SECONDS: "8",
      BOOKING_RETRY_MAX_SECONDS: "10",
      BOOKING_SWEEP_MS: "250",
      FLIGHT_TIMEOUT_MS: "2000",
      PAYMENT_TIMEOUT_MS: "500",
    }),
  );
  t.throws(
    () => loadBookingConfig({ BOOKING_RETRY_MAX_SECONDS: "120" }),
    /HOLD_SETTLE_GRACE_MS=90000: expected more than/,
  );
  t.throws(() => loadBookingConfig({ HOLD_SETTLE_GRACE_MS: "soon" }), /HOLD_SETTLE_GRACE_MS=soon: expected an integer/);
});

t.test("its rules are its own: flight-svc's, payment-mock's and the tools' settings do not stop it", async (t) => {
  t.throws(() => loadBookingConfig(REFUSED_ONLY_BY.booking), ConfigError);
  const c = loadBookingConfig(refusedByOthers("booking"));
  t.equal(c.booking.port, 8081);
  t.notOk("flight" in c || "payment" in c, "no other service's section");
});

t.test("MILES_PER_UNIT has at most the four decimals miles are counted in", async (t) => {
  t.equal(loadBookingConfig({ MILES_PER_UNIT: "1.2345" }).booking.milesPerUnit, 1.2345);
  t.equal(loadBookingConfig({ MILES_PER_UNIT: "0.0001" }).booking.milesPerUnit, 0.0001);
  // 1.00004 would be counted as 1: a 10,000.00 booking would cost 10,000 miles, not 10,001.
  const err = t.throws(() => loadBookingConfig({ MILES_PER_UNIT: "1.00004" })) as ConfigError;
  t.same(err.problems, ["MILES_PER_UNIT=1.00004: expected at most four decimals"]);
});
