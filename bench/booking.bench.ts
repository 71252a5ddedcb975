// End-to-end bookings per second (booking-svc → flight-svc validate/hold/confirm → payment-mock
// with latency 0 and rates 0 → bookings_db) next to hold-only throughput (POST
// /api/flights/holds alone) and a bare Fastify POST, all in this process and this run. Each
// request books a new user on the next flight, so no two requests contend for a seat counter.
import type autocannon from "autocannon";
import { buildApp as buildBooking } from "../booking-svc/app.js";
import { loadBookingConfig } from "../booking-svc/config.js";
import { buildApp as buildFlight } from "../flight-svc/app.js";
import { loadFlightConfig } from "../flight-svc/config.js";
import { createSql } from "../lib/postgres-plugin.js";
import { closeRedis, createRedis } from "../lib/redis-plugin.js";
import { buildApp as buildPayment } from "../payment-mock/app.js";
import { loadPaymentConfig } from "../payment-mock/config.js";
import { distinctPosts, formatLoad, type LoadResult, load, ratio, startBareRoute } from "./lib/http.js";

const DURATION_S = 3;
const ROUNDS = 2;
const FLIGHTS = 2_000;

const flightEnv = loadFlightConfig();
const bookingEnv = loadBookingConfig();
const paymentEnv = loadPaymentConfig();
const flightsSql = createSql(flightEnv.flightsDatabaseUrl, 2);
const bookingsSql = createSql(bookingEnv.bookingsDatabaseUrl, 2);
const redis = createRedis(flightEnv.redisUrl);
await redis.flushall();
await flightsSql`TRUNCATE flights, seat_ledger RESTART IDENTITY CASCADE`;
await bookingsSql`TRUNCATE bookings, booking_legs RESTART IDENTITY CASCADE`;
await flightsSql`
  INSERT INTO flights (flight_number, airline, source, destination, departure_time, arrival_time, total_seats, price)
  SELECT 'BK' || g, 'Bench Air', 'DEL', 'BOM', '2024-02-15T06:00:00Z'::timestamptz + g * interval '1 second',
         '2024-02-15T08:00:00Z'::timestamptz + g * interval '1 second', 5000, 4999.99
  FROM generate_series(1, ${FLIGHTS}) g`;

const quiet = { logLevel: "warn" as const };
const payConfig = {
  ...paymentEnv.payment,
  failureRate: 0,
  timeoutRate: 0,
  latencyMs: 0,
  latencyMinMs: 0,
  latencyMaxMs: 0,
};
const flight = await buildFlight({ config: { ...flightEnv, ...quiet } });
const flightUrl = await flight.listen({ host: "127.0.0.1", port: 0 });
const payment = await buildPayment({ config: { ...paymentEnv, ...quiet, payment: payConfig } });
const paymentUrl = await payment.listen({ host: "127.0.0.1", port: 0 });
const bookingConfig = {
  ...bookingEnv,
  ...quiet,
  booking: { ...bookingEnv.booking, flightServiceUrl: flightUrl, paymentServiceUrl: paymentUrl },
};
const booking = await buildBooking({ config: bookingConfig });
const bookingUrl = await booking.listen({ host: "127.0.0.1", port: 0 });
const bare = await startBareRoute({ booking_id: 1, status: "confirmed", total_amount: 4999.99, message: "ok" }, "POST");

const flightOf = (i: number) => 1 + (i % FLIGHTS);
const bookings = distinctPosts(`${bookingUrl}/api/bookings`, (i) => ({
  user_id: i,
  flight_id: flightOf(i),
  seats: 1,
  date: "2024-02-15",
}));
const holds = distinctPosts(`${flightUrl}/api/flights/holds`, (i) => ({
  flight_ids: [flightOf(i)],
  seats: 1,
  ttl_seconds: 60,
}));
const bareOpts = distinctPosts(bare.url, (i) => ({ user_id: i }));

async function phase(name: string, opts: autocannon.Options, duration = DURATION_S): Promise<LoadResult> {
  const r = await load({ ...opts, duration });
  if (name) console.log(formatLoad(name, r));
  return r;
}

await phase("", bareOpts, 1);
await phase("", holds, 1);
await phase("", bookings, 1);

const runs = { bare: [] as number[], holds: [] as number[], bookings: [] as number[] };
for (let round = 1; round <= ROUNDS; round++) {
  console.log(`-- round ${round}`);
  runs.bare.push((await phase("bare Fastify POST (baseline)", bareOpts)).requestsPerSec);
  runs.holds.push((await phase("flight-svc POST /api/flights/holds only", holds)).requestsPerSec);
  const before = Date.now();
  const b = await phase("booking-svc POST /api/bookings (end to end)", bookings);
  runs.bookings.push(b.requestsPerSec);
  const [c] = await bookingsSql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM bookings WHERE status = 'confirmed' AND created_at >= ${new Date(before)}`;
  console.log(
    `   bookings ${ratio(b.requestsPerSec, runs.holds.at(-1) ?? 0)} of hold-only, ` +
      `${ratio(b.requestsPerSec, runs.bare.at(-1) ?? 0)} of bare; ${c?.n ?? 0} confirmed in this phase`,
  );
}

const best = (xs: number[]) => Math.max(...xs);
console.log(
  `\nbest of ${ROUNDS}: ${best(runs.bookings)} bookings/s end to end, ${best(runs.holds)} holds/s, ` +
    `${best(runs.bare)} bare req/s; bookings = ${ratio(best(runs.bookings), best(runs.holds))} of hold-only ` +
    "(a booking is 4 upstream calls — validate, hold, pay, confirm — and 2 bookings_db writes; a hold is 1 call)",
);

await booking.close();
await Promise.all([flight.close(), payment.close(), bare.close()]);
await Promise.all([flightsSql.end({ timeout: 5 }), bookingsSql.end({ timeout: 5 })]);
await closeRedis(redis);
