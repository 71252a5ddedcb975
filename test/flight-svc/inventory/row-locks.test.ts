import type { FastifyInstance } from "fastify";
import t, { type Test } from "tap";
import { Ledger } from "../../../flight-svc/inventory/ledger.js";
import { bookTogether } from "../../../flight-svc/inventory/ledger-batch.js";
import { fileAuth } from "../../helpers/auth.js";
import { bookedSeats, build, seedFlights } from "../../helpers/flight-svc.js";
import { checkInOnFlight, endsWithoutLockWait } from "../../helpers/pg-lock.js";

// Seat writes locked their flight's row FOR UPDATE, the one lock that also stops the foreign
// keys of a check-in's rows (FOR KEY SHARE): a confirm on a flight waited for every check-in
// running on it, and a check-in for the confirms' batch. They change no key of the row, so
// FOR NO KEY UPDATE keeps them apart from each other and lets check-ins through.

const auth = await fileAuth();
const service = (await auth.service()).headers;
const admin = (await auth.admin()).headers;
const DATE = "2024-02-15";

async function duringCheckIn(t: Test, app: FastifyInstance, url: string, flight: number, work: () => Promise<unknown>) {
  const checkIn = await checkInOnFlight(url, flight);
  t.teardown(() => checkIn.release());
  const done = work();
  t.ok(await endsWithoutLockWait(app.sql, done), "did not wait for the check-in");
  await checkIn.release();
  return done;
}

t.test("seat writes and flight changes do not wait for a check-in on the flight", async (t) => {
  const { app, config } = await build(t, { auth });
  const url = config.flightsDatabaseUrl;
  const [f] = await seedFlights(app.sql, [{ total: 100 }]);
  const flight = f as number;
  const ledger = new Ledger(app.sql);

  t.test("a decrement (the confirms' batch)", async (t) => {
    const res = await duringCheckIn(t, app, url, flight, () =>
      app.inject({
        headers: service,
        method: "POST",
        url: "/api/flights/seats/decrement",
        payload: { flight_id: flight, seats: 2, date: DATE },
      }),
    );
    t.equal((res as { statusCode: number }).statusCode, 200);
  });

  t.test("a batch written by bookTogether", async (t) => {
    await duringCheckIn(t, app, url, flight, () =>
      bookTogether(app.sql, [{ id: "lock-batch", kind: "decrement", legs: [flight], seats: 1 }]),
    );
  });

  t.test("one operation booked, returned and given back", async (t) => {
    await duringCheckIn(t, app, url, flight, () =>
      ledger.book({ id: "lock-one", kind: "decrement", legs: [flight], seats: 1 }),
    );
    await duringCheckIn(t, app, url, flight, () => ledger.cancel("lock-one", [flight]));
    await duringCheckIn(t, app, url, flight, () =>
      ledger.unbook({ id: "lock-inc", kind: "increment", legs: [flight], seats: 1 }),
    );
  });

  t.test("a flight's price changed", async (t) => {
    const res = await duringCheckIn(t, app, url, flight, () =>
      app.inject({ headers: admin, method: "PATCH", url: `/api/flights/${flight}`, payload: { price: 6100 } }),
    );
    t.equal((res as { statusCode: number }).statusCode, 200);
  });

  t.test("every seat counted once", async (t) => {
    await app.inventory.idle();
    t.equal(await bookedSeats(app.sql, flight), 2);
  });
});
