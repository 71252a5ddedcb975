import { setTimeout as sleep } from "node:timers/promises";
import t from "tap";
import { keys } from "../../../flight-svc/inventory/keys.js";
import { fileAuth } from "../../helpers/auth.js";
import { lockFlights, type TableLock } from "../../helpers/pg-lock.js";
import { startSystem, waitFor } from "../../helpers/system.js";

// Regression: a hold that landed after its booking had failed kept the seats for 15 minutes.
// booking-svc's hold call timed out while flight-svc was still reading PostgreSQL; the saga
// released (flight-svc knew no such hold: 404), the booking failed "nothing was charged", and
// then the hold landed as a new one. Now the release marks the id and the late hold is refused.

t.test("a hold delayed past booking-svc's deadline: the booking fails, the late hold takes no seat", async (t) => {
  const flightLog: string[] = [];
  let lock: TableLock | null = null;
  const auth = await fileAuth();
  const sys = await startSystem(t, [{ total: 20 }], {
    auth,
    flightLogStream: { write: (line: string) => void flightLog.push(line) },
    hooks: {
      beforeAction: async (action) => {
        if (action !== "hold") return;
        lock = await lockFlights(sys.flightConfig.flightsDatabaseUrl);
        // Past the life of flight-svc's cached flight data (1 s): the hold reads PostgreSQL and waits.
        await sleep(1_100);
      },
    },
  });
  t.teardown(() => lock?.release());

  const customer = await auth.customer();
  const service = (await auth.service()).headers;
  const r = await sys.bookingCall(
    "POST",
    "/api/bookings",
    { flight_id: 1, seats: 3, date: "2024-02-15" },
    customer.headers,
  );
  t.equal(r.status, 503, "flight-svc did not answer the hold within FLIGHT_TIMEOUT_MS");
  t.match(r.body, { booking_id: 1, status: "failed", error: "service_unavailable" });
  t.match(r.body.message, /nothing was charged/);
  t.equal(r.headers["retry-after"], "2");
  t.equal(
    (await sys.paymentCall("GET", "/api/payments/by-key/booking-1", undefined, service)).status,
    404,
    "no charge",
  );
  t.equal(await sys.redis.hget(keys.hold(await sys.holdIdOf(1)), "state"), "released", "the release marked the id");

  await (lock as TableLock | null)?.release();
  const refused = await waitFor(
    // A call's one line (statusCode), or a batch item's own line (status).
    async () => flightLog.some((l) => l.includes('"code":"hold_released"') && /"status(Code)?":409/.test(l)),
    10_000,
  );
  t.ok(refused, "the hold landed after the booking failed, and flight-svc refused it");
  const flight = await sys.flightCall("GET", "/api/flights/1");
  t.equal(flight.body.available_seats, 20, "every seat free");
  t.equal(await sys.redis.hlen(keys.flightHolds(1)), 0, "no hold on the flight");
  t.match((await sys.bookingCall("GET", "/api/bookings/1", undefined, customer.headers)).body, {
    status: "failed",
    step: "done",
  });
});
