import Fastify from "fastify";
import t from "tap";
import { loggerOptions } from "../../../lib/logger.js";
import { fileAuth } from "../../helpers/auth.js";
import { startSystem } from "../../helpers/system.js";

const PEOPLE = [
  { name: "Meera Iyer", email: "meera.iyer@example.com" },
  { name: "Kabir Shah", email: "kabir.shah@example.org" },
];
const SECRETS = /Meera|Iyer|Kabir|Shah|meera\.iyer|kabir\.shah|example\.(com|org)/;

t.test("no log line of a booking with passengers holds a name or an email", async (t) => {
  const lines: string[] = [];
  const auth = await fileAuth();
  const sys = await startSystem(t, [{ total: 10 }], {
    auth,
    bookingEnv: { LOG_LEVEL: "trace", ACCESS_LOG: "on" },
    logStream: { write: (line: string) => void lines.push(line) },
  });
  const [F] = sys.flightIds as [number];
  const customer = await auth.customer();
  const post = (over: Record<string, unknown>) =>
    sys.bookingCall(
      "POST",
      "/api/bookings",
      { flight_id: F, seats: 2, date: "2024-02-15", passengers: PEOPLE, ...over },
      customer.headers,
    );
  const ok = await post({});
  t.equal(ok.status, 200);
  await sys.paymentCall("PUT", "/api/payments/config", { failure_rate: 1 }, (await auth.admin()).headers);
  t.equal((await post({})).status, 402);
  t.equal((await post({ seats: 3 })).status, 400, "passenger count mismatch");
  t.equal((await post({ passengers: [PEOPLE[0], { ...PEOPLE[1], email: "not-an-email" }] })).status, 400);
  t.equal((await post({ date: "2024-03-01" })).status, 400, "refused against flight-svc, after validation");

  // Eight at least: one per request (a failed one's names its error) and per settled booking.
  t.ok(lines.length >= 8, `${lines.length} log lines`);
  t.ok(
    lines.some((l) => l.includes(`"booking_id":${ok.body.booking_id}`)),
    "the booking is in the log, by id",
  );
  const leaks = lines.filter((l) => SECRETS.test(l));
  t.same(leaks, [], "no name or email in any line");
});

t.test("the redaction paths cover where passengers could appear in a logged object", async (t) => {
  const lines: string[] = [];
  const opts = loggerOptions("info", "privacy-test");
  const app = Fastify({ logger: { ...(opts as object), stream: { write: (l: string) => void lines.push(l) } } });
  t.teardown(() => app.close());
  const shapes = [
    { passengers: PEOPLE },
    { booking: { passengers: PEOPLE } },
    { req: { body: { passengers: PEOPLE } } },
    { body: { passengers: PEOPLE } },
    { err: { message: "insert failed", parameters: [1, JSON.stringify(PEOPLE)] } },
    { name: PEOPLE[0]!.name, email: PEOPLE[0]!.email },
    { passenger: { name: PEOPLE[1]!.name, email: PEOPLE[1]!.email } },
  ];
  for (const s of shapes) app.log.info(s, "logged");
  t.equal(lines.length, shapes.length);
  t.same(
    lines.filter((l) => SECRETS.test(l)),
    [],
  );
});
