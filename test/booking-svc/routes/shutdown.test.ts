import t from "tap";
import { request } from "undici";
import { fileAuth } from "../../helpers/auth.js";
import { startSystem } from "../../helpers/system.js";

t.test("closing booking-svc lets the sagas still running finish, even if their clients left", async (t) => {
  const errors: string[] = [];
  const auth = await fileAuth();
  const sys = await startSystem(t, [{ total: 20 }], {
    auth,
    bookingEnv: { LOG_LEVEL: "warn" },
    logStream: { write: (line: string) => void (line.includes('"level":50') && errors.push(line)) },
  });
  const customer = await auth.customer();
  await sys.paymentCall(
    "PUT",
    "/api/payments/config",
    { latency_min_ms: 300, latency_max_ms: 300 },
    (await auth.admin()).headers,
  );
  const gone = Array.from({ length: 5 }, () =>
    request(`${sys.bookingUrl}/api/bookings`, {
      method: "POST",
      headers: { "content-type": "application/json", ...customer.headers },
      body: JSON.stringify({ flight_id: sys.flightIds[0], seats: 1, date: "2024-02-15" }),
      signal: AbortSignal.timeout(100),
    }).catch(() => "aborted"),
  );
  t.same(await Promise.all(gone), Array(5).fill("aborted"));
  await sys.booking!.close();
  // A request that had not reached its handler when the server began closing made no booking.
  const rows = await sys.bookingsSql<{ status: string }[]>`SELECT status FROM bookings`;
  t.ok(rows.length > 0, `${rows.length} bookings were under way`);
  t.ok(
    rows.every((r) => r.status === "confirmed"),
    rows.map((r) => r.status).join(", "),
  );
  t.same(errors, []);
});
