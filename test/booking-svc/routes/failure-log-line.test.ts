import t from "tap";
import { fileAuth } from "../../helpers/auth.js";
import { startSystem } from "../../helpers/system.js";

// A failed booking is answered with its booking's body, not thrown: its one request line must
// still name its error code, as every other refusal's does (docs/settings.md, request logs).

interface Line {
  msg: string;
  reqId?: string;
  res?: { statusCode: number };
  code?: string;
}

t.test("a refused booking's request line names its error code", async (t) => {
  const lines: Line[] = [];
  const auth = await fileAuth();
  const sys = await startSystem(t, [{ total: 1 }, { total: 10 }], {
    auth,
    bookingEnv: { LOG_LEVEL: "info" },
    logStream: { write: (line: string) => void lines.push(JSON.parse(line) as Line) },
  });
  const [F, G] = sys.flightIds as [number, number];
  const customer = await auth.customer();
  const post = (id: string, body: Record<string, unknown>) =>
    sys.bookingCall(
      "POST",
      "/api/bookings",
      { seats: 1, date: "2024-02-15", ...body },
      {
        ...customer.headers,
        "x-request-id": id,
      },
    );
  t.equal((await post("log-ok", { flight_id: F })).status, 200);
  t.equal((await post("log-sold-out", { flight_id: F })).status, 409);
  t.equal((await post("log-no-flight", { flight_id: 999_999 })).status, 400);
  await sys.paymentCall("PUT", "/api/payments/config", { failure_rate: 1 }, (await auth.admin()).headers);
  t.equal((await post("log-declined", { flight_id: G })).status, 402);
  const lineOf = (id: string) =>
    lines.filter((l) => l.reqId === id && l.msg === "request completed").map((l) => [l.res?.statusCode, l.code]);
  t.same(lineOf("log-sold-out"), [[409, "not_enough_seats"]]);
  t.same(lineOf("log-no-flight"), [[400, "validation_error"]]);
  t.same(lineOf("log-declined"), [[402, "payment_declined"]]);
});
