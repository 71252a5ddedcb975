import t from "tap";
import { newHoldNonce } from "../../booking-svc/hold-ids.js";
import { initialState } from "../../booking-svc/saga/machine.js";
import { BookingIds } from "../../booking-svc/store/booking-ids.js";
import { fileAuth } from "../helpers/auth.js";
import { bookAtOnce, startSystem } from "../helpers/system.js";

// A request id follows a booking through every service: echoed by booking-svc, forwarded to
// flight-svc and payment-mock, on the saga's log lines, and on the recovery sweeper's lines and
// calls for that booking later.

interface Line {
  service: string;
  reqId?: string;
  msg: string;
  req?: { url: string };
  component?: string;
}
const lines: Line[] = [];
const raw: string[] = [];
const capture = {
  write: (line: string) => {
    raw.push(line);
    lines.push(JSON.parse(line) as Line);
  },
};

const auth = await fileAuth();
const sys = await startSystem(t, [{ total: 50, price: 4500 }], {
  auth,
  // Every request's line, not only failed ones (lib/access-log.ts).
  env: { LOG_LEVEL: "info", ACCESS_LOG: "on" },
  sweeper: false,
  logStream: capture,
  upstreamLogStream: capture,
});
const [F1] = sys.flightIds as [number];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const customer = await auth.customer();
const book = (headers: Record<string, string>) =>
  sys.bookingCall(
    "POST",
    "/api/bookings",
    { flight_id: F1, seats: 1, date: "2024-02-15" },
    { ...customer.headers, ...headers },
  );
const urlsOf = (service: string, reqId: string) =>
  lines.filter((l) => l.service === service && l.reqId === reqId && l.req).map((l) => l.req?.url);

t.test("a request id sent to booking-svc is echoed and reaches flight-svc's and payment-mock's logs", async (t) => {
  const id = "trace-4f1c.booking:01";
  const res = await book({ "x-request-id": id });
  t.equal(res.status, 200);
  t.equal(res.headers["x-request-id"], id);

  t.ok(urlsOf("booking-svc", id).includes("/api/bookings"), "booking-svc logs the request under it");
  const saga = lines.filter((l) => l.component === "booking-saga" && l.reqId === id);
  t.ok(
    saga.some((l) => l.msg === "booking settled"),
    "the saga's line carries it",
  );
  t.same(
    urlsOf("flight-svc", id).sort(),
    ["/api/flights/holds", `/api/flights/holds/${await sys.holdIdOf(res.body.booking_id)}/confirm`],
    "flight-svc saw every call of the booking under it",
  );
  t.same(urlsOf("payment-mock", id), ["/api/payments/process"], "payment-mock saw the charge under it");
  const twice = raw.filter((l) => l.includes(id) && l.split('"reqId"').length > 2);
  t.same(twice, [], "no line names reqId twice (request loggers already carry it)");
  const [row] = await sys.bookingsSql<{ request_id: string }[]>`SELECT request_id FROM bookings WHERE id = 1`;
  t.equal(row?.request_id, id, "the booking keeps it for the sweeper");
});

t.test("a missing or malformed X-Request-Id is replaced by a UUID", async (t) => {
  t.match((await sys.flightCall("GET", "/health")).headers["x-request-id"], UUID, "flight-svc makes one too");
  t.match((await sys.paymentCall("GET", "/health")).headers["x-request-id"], UUID, "payment-mock makes one too");
  for (const given of [undefined, "x".repeat(129), "has space", "semi;colon", ""]) {
    const sent: Record<string, string> = given === undefined ? {} : { "x-request-id": given };
    const r = await book(sent);
    t.match(r.headers["x-request-id"], UUID, `given ${JSON.stringify(given)}`);
    t.not(r.headers["x-request-id"], given);
  }
  const longest = "a".repeat(128);
  t.equal((await book({ "x-request-id": longest })).headers["x-request-id"], longest, "128 characters are accepted");
});

t.test("the recovery sweeper works on a booking under the id of the request that made it", async (t) => {
  const origin = "origin-request-77";
  const [b] = await sys.booking!.bookingsRepo.insertAll([
    {
      id: await new BookingIds(sys.bookingsSql).next(),
      holdNonce: newHoldNonce(),
      userId: 9,
      seats: 1,
      travelDate: "2024-02-15",
      paymentType: "credit_card",
      totalAmount: 4500,
      legs: [{ flight_id: F1, price: 4500 }],
      passengers: [],
      idempotencyKey: null,
      requestHash: null,
      requestId: origin,
      state: initialState(),
      leaseSeconds: 0,
    },
  ]);
  t.ok(b);
  await sys.booking!.sweeper.sweepOnce();
  const recovered = lines.find((l) => l.msg === "unfinished booking recovered" && l.reqId === origin);
  t.ok(recovered, "the sweeper's line carries the original id");
  // Recovery asks payment-mock what became of the charge, then gives the seats back.
  t.same(urlsOf("payment-mock", origin), [`/api/payments/by-key/${b?.paymentKey}`], "payment-mock saw it");
  t.same(urlsOf("flight-svc", origin), [`/api/flights/holds/${b?.holdId}`], "flight-svc saw it");
});

t.test("bookings made together: a batch call has an id of its own, each item its booking's", async (t) => {
  const ids = Array.from({ length: 12 }, (_, i) => `together-${i}`);
  // 12 bookings of 9 seats on what is left of 50: most holds are refused, and refusals are logged.
  const replies = await bookAtOnce(sys, ids.length, { flight_id: F1, seats: 9, date: "2024-02-15" }, (i) => ({
    ...customer.headers,
    "x-request-id": ids[i] as string,
  }));
  const refused = ids.filter((_, i) => replies[i]?.status === 409);
  t.ok(refused.length >= 7, `at most 5 of 9 seats fit: ${refused.length} refused`);
  const flightLines = lines.filter((l) => l.service === "flight-svc") as (Line & {
    caller_reqId?: string;
    code?: string;
  })[];
  // A hold sent alone is a request of its own, whose line names its code; a batch's item has a
  // line of its own that names the request it is for.
  for (const id of refused) {
    t.ok(
      flightLines.some((l) => l.code === "not_enough_seats" && (l.reqId === id || l.caller_reqId === id)),
      `flight-svc's refusal of ${id}'s hold names it`,
    );
  }
  const batches = flightLines.filter((l) => l.req?.url === "/api/flights/holds/batch");
  for (const b of batches) t.notOk(ids.includes(b.reqId ?? ""), "a batch call is no one booking's request");
});
