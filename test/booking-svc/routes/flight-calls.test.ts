import t from "tap";
import { fileAuth } from "../../helpers/auth.js";
import { bookAtOnce, startSystem } from "../../helpers/system.js";

// What a booking costs flight-svc, counted by flight-svc's own request counter (/metrics): the
// hold validates and prices, so a single-leg booking is one hold and one confirm, a refused one
// a single hold call; a multi-leg booking reads its legs' details first (airports, times).
// Holds that booking-svc places in the same event-loop turn go as one batch call.

/**
 * While set, each booking waits before its hold until `count` bookings have reached theirs, then
 * all go on in one turn. Requests sent together over new connections reach booking-svc spread
 * over several turns, or one by one on a slow machine; this makes "placed in the same turn" hold.
 */
let holdBarrier: { count: number; arrived: number; release: () => void; released: Promise<void> } | null = null;

function holdTogether(count: number): void {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  holdBarrier = { count, arrived: 0, release, released };
}

const auth = await fileAuth();
const sys = await startSystem(
  t,
  [
    { total: 50, price: 4500 },
    { total: 1, price: 3000 },
    { total: 5, price: 1000 },
    { total: 50, price: 2000, source: "BOM", destination: "BLR", departure: "2024-02-15T12:00:00Z" },
  ],
  {
    auth,
    sweeper: false,
    hooks: {
      beforeAction: async (action) => {
        const b = holdBarrier;
        if (action !== "hold" || !b) return;
        b.arrived += 1;
        if (b.arrived === b.count) b.release();
        await b.released;
      },
    },
  },
);
const [F, SMALL, FIVE, NEXT] = sys.flightIds as [number, number, number, number];
const customer = await auth.customer();

/** flight-svc's answered requests per "METHOD route status_class", /metrics itself left out. */
async function flightRequests(): Promise<Map<string, number>> {
  const res = await sys.flightCall("GET", "/metrics");
  const counts = new Map<string, number>();
  for (const line of String(res.body).split("\n")) {
    const m = /^http_requests_total\{method="(\w+)",route="([^"]+)",status_class="(\w+)"\} (\d+)$/.exec(line);
    if (m && m[2] !== "/metrics") counts.set(`${m[1]} ${m[2]} ${m[3]}`, Number(m[4]));
  }
  return counts;
}

/** The flight-svc calls `run` made, by route and status class. */
async function callsOf(run: () => Promise<unknown>): Promise<Record<string, number>> {
  const before = await flightRequests();
  await run();
  const after = await flightRequests();
  const made: Record<string, number> = {};
  for (const [k, n] of after) if (n !== (before.get(k) ?? 0)) made[k] = n - (before.get(k) ?? 0);
  return made;
}

const book = (body: Record<string, unknown>) =>
  sys.bookingCall("POST", "/api/bookings", { seats: 1, date: "2024-02-15", ...body }, customer.headers);

t.test("a single-leg booking: one hold call (no validate), then the confirm", async (t) => {
  let r: Awaited<ReturnType<typeof book>> | undefined;
  const made = await callsOf(async () => {
    r = await book({ flight_id: F, seats: 2 });
  });
  t.match(r, { status: 200, body: { status: "confirmed", total_amount: 9000 } });
  t.same(made, {
    "POST /api/flights/holds 2xx": 1,
    "POST /api/flights/holds/:id/confirm 2xx": 1,
  });
});

t.test("a refused booking (sold out): one hold call, stored as failed", async (t) => {
  t.equal((await book({ flight_id: SMALL })).status, 200);
  let r: Awaited<ReturnType<typeof book>> | undefined;
  const made = await callsOf(async () => {
    r = await book({ flight_id: SMALL });
  });
  t.match(r, { status: 409, body: { status: "failed", error: "not_enough_seats", booking_id: Number } });
  t.same(made, { "POST /api/flights/holds 4xx": 1 });
  const [row] = await sys.bookingsSql<{ status: string; error_code: string }[]>`
    SELECT status, error_code FROM bookings WHERE id = ${r?.body.booking_id}`;
  t.same(row, { status: "failed", error_code: "not_enough_seats" });
});

t.test("a wrong date is refused by the hold: failed, with the field and the same message", async (t) => {
  let r: Awaited<ReturnType<typeof book>> | undefined;
  const made = await callsOf(async () => {
    r = await book({ flight_id: F, date: "2024-02-16" });
  });
  t.match(r, {
    status: 400,
    body: {
      status: "failed",
      error: "validation_error",
      field: "date",
      message: `date 2024-02-16 is not the departure date of flight ${F} (2024-02-15, UTC).`,
      booking_id: Number,
    },
  });
  t.same(made, { "POST /api/flights/holds 4xx": 1 });
  t.equal((await sys.flight.inventory.availableSeats([F]))[0], 48, "nothing held");
});

t.test("a multi-leg booking reads its legs, then holds and confirms once", async (t) => {
  let r: Awaited<ReturnType<typeof book>> | undefined;
  const made = await callsOf(async () => {
    r = await book({ flight_ids: [F, NEXT] });
  });
  t.match(r, { status: 200, body: { status: "confirmed", total_amount: 6500 } });
  t.same(made, {
    "GET /api/flights/:id 2xx": 2,
    "POST /api/flights/holds 2xx": 1,
    "POST /api/flights/holds/:id/confirm 2xx": 1,
  });
});

t.test("bookings that arrive together: their holds share calls, each booking its own answer", async (t) => {
  const people = await Promise.all(Array.from({ length: 4 }, (_, i) => auth.customer(`together-${i}`)));
  let replies: Awaited<ReturnType<typeof book>>[] = [];
  holdTogether(20);
  t.teardown(() => {
    holdBarrier = null;
  });
  const made = await callsOf(async () => {
    replies = await bookAtOnce(
      sys,
      20,
      { flight_id: FIVE, seats: 1, date: "2024-02-15" },
      (i) => people[i % people.length]?.headers,
    );
  });
  const statuses = replies.map((r) => r.status).sort();
  t.same(statuses, [...Array(5).fill(200), ...Array(15).fill(409)], "5 seats: 5 confirmed, 15 refused");
  for (const r of replies.filter((r) => r.status === 409)) {
    t.match(r.body, {
      status: "failed",
      error: "not_enough_seats",
      message: `Not enough seats on flight ${FIVE} (0 left).`,
    });
  }
  const batches = made["POST /api/flights/holds/batch 2xx"] ?? 0;
  const single = (made["POST /api/flights/holds 2xx"] ?? 0) + (made["POST /api/flights/holds 4xx"] ?? 0);
  t.same({ batches, single }, { batches: 1, single: 0 }, `the 20 holds in one call (${JSON.stringify(made)})`);
  t.equal((await sys.flight.inventory.availableSeats([FIVE]))[0], 0);
});
