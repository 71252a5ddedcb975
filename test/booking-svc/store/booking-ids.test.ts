import t from "tap";
import { BookingIds } from "../../../booking-svc/store/booking-ids.js";
import { createSql } from "../../../lib/postgres-plugin.js";
import { testBookingConfig } from "../../helpers/config.js";

// Ids reserved ahead of their rows (the hold is named after them): from the bookings' own
// sequence, so a row written later with one never collides with a row that took the default.

t.test("ids reserved together are distinct, and a default id never takes one", async (t) => {
  const sql = createSql(testBookingConfig().bookingsDatabaseUrl, 4);
  t.teardown(() => sql.end());
  const ids = new BookingIds(sql);
  const reserved = await Promise.all(Array.from({ length: 40 }, () => ids.next()));
  t.equal(new Set(reserved).size, 40);
  const [next] = await sql<{ id: string }[]>`SELECT nextval('bookings_id_seq') AS id`;
  t.ok(
    reserved.every((id) => id < Number(next?.id)),
    "the sequence has moved past every reserved id",
  );
});
