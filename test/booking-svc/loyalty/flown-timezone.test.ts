import t from "tap";
import { FlownRepo } from "../../../booking-svc/flown/flown-repo.js";
import { MIGRATIONS, migrate } from "../../../lib/migrate.js";
import { createSql } from "../../../lib/postgres-plugin.js";
import { testFlightConfig } from "../../helpers/config.js";
import { scratchDatabase } from "../../helpers/scratch-database.js";

// A travel date is a UTC day, but `travel_date + 1` compared with a timestamp is midnight in the
// session's time zone, which is PostgreSQL's own (initdb takes the machine's). On a server set to
// Asia/Kolkata a booking confirmed after 18:30 UTC for a flight later that UTC day counted as
// confirmed after its travel date: the flown job never looked at it, and it earned no miles.

const NAME = "flown_tz_test";

t.test("a booking confirmed late on its UTC travel day is flown on a server in another time zone", async (t) => {
  const scratch = await scratchDatabase(t, NAME);
  await scratch.unsafe(`ALTER DATABASE ${NAME} SET timezone = 'Asia/Kolkata'`);
  const url = new URL(testFlightConfig().flightsDatabaseUrl);
  url.pathname = `/${NAME}`;
  const sql = createSql(url.toString(), 1);
  t.teardown(() => sql.end());
  await migrate(sql, MIGRATIONS.bookings);

  const [b] = await sql<{ id: string }[]>`
    INSERT INTO bookings (user_id, seats, travel_date, payment_type, total_amount, status, step, payment_id, confirmed_at)
    VALUES (7, 1, '2026-12-05', 'credit_card', 1000, 'confirmed', 'done', 'pay_1', '2026-12-05T20:00:00Z')
    RETURNING id`;
  await sql`INSERT INTO booking_legs (booking_id, leg_no, flight_id, price, travel_date)
    VALUES (${b?.id as string}, 1, 42, 1000, '2026-12-05')`;

  t.same(await new FlownRepo(sql).flightsToCheck("2026-12-05", 0, 10), [42]);
});
