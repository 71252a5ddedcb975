import t from "tap";
import { fileAuth } from "../../helpers/auth.js";
import { startSystem } from "../../helpers/system.js";

// A failed booking or change is answered with its body, not thrown: its one request line must
// still name its error code, as every other refusal's does (docs/settings.md, request logs).

interface Line {
  msg: string;
  reqId?: string;
  res?: { statusCode: number };
  code?: string;
}

t.test("a refused booking's or change's request line names its error code", async (t) => {
  const lines: Line[] = [];
  const auth = await fileAuth();
  // Three days ahead, when a change is still allowed; the second flight dearer, so a change to it charges.
  const date = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
  const at = (hour: string) => ({ departure: `${date}T${hour}:00:00Z` });
  const flights = [
    { ...at("08"), total: 1, price: 5000 },
    { ...at("09"), total: 10, price: 7000 },
  ];
  const sys = await startSystem(t, flights, {
    auth,
    bookingEnv: { LOG_LEVEL: "info" },
    logStream: { write: (line: string) => void lines.push(JSON.parse(line) as Line) },
  });
  const [F, G] = sys.flightIds as [number, number];
  const customer = await auth.customer();
  const headers = (id: string) => ({ ...customer.headers, "x-request-id": id });
  const post = (id: string, body: Record<string, unknown>) =>
    sys.bookingCall("POST", "/api/bookings", { seats: 1, date, ...body }, headers(id));
  const ok = await post("log-ok", { flight_id: F });
  t.equal(ok.status, 200);
  t.equal((await post("log-sold-out", { flight_id: F })).status, 409);
  t.equal((await post("log-no-flight", { flight_id: 999_999 })).status, 400);
  await sys.paymentCall("PUT", "/api/payments/config", { failure_rate: 1 }, (await auth.admin()).headers);
  t.equal((await post("log-declined", { flight_id: G })).status, 402);
  const declined = await sys.bookingCall(
    "POST",
    `/api/bookings/${ok.body.booking_id}/change`,
    { flight_ids: [G], date },
    headers("log-change"),
  );
  const lineOf = (id: string) =>
    lines.filter((l) => l.reqId === id && l.msg === "request completed").map((l) => [l.res?.statusCode, l.code]);
  t.same(lineOf("log-sold-out"), [[409, "not_enough_seats"]]);
  t.same(lineOf("log-no-flight"), [[400, "validation_error"]]);
  t.same(lineOf("log-declined"), [[402, "payment_declined"]]);
  t.equal(declined.status, 402);
  t.same(lineOf("log-change"), [[402, "payment_declined"]]);
});
