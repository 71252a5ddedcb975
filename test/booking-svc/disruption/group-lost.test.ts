import { setTimeout as sleep } from "node:timers/promises";
import t from "tap";
import { DisruptionConsumer } from "../../../booking-svc/disruption/consumer.js";
import type { DisruptionHandler } from "../../../booking-svc/disruption/handler.js";
import { StreamGroupsRepo } from "../../../booking-svc/store/stream-groups-repo.js";
import type { FlightEventBody } from "../../../contracts/events/stream.js";
import { eventAppender } from "../../../lib/events/append-event.js";
import { createSql } from "../../../lib/postgres-plugin.js";
import { closeRedis, createRedis } from "../../../lib/redis-plugin.js";
import { testBookingConfig } from "../../helpers/config.js";
import { resetStores } from "../../helpers/reset.js";
import { waitFor } from "../../helpers/system.js";

// A Redis that lost its data (FLUSHALL, a restart without its files) loses the consumer group.
// The consumer made it again at the stream's end, so a flight cancelled in the moment between
// the loss and the new group was never handled: its bookings stayed confirmed and unrefunded.

const quiet = { warn() {}, info() {}, error() {}, debug() {} } as never;

const cancellation = (flightId: number): FlightEventBody => ({
  flight_id: flightId,
  kind: "cancelled",
  before: { status: "scheduled", departure_time: "2024-02-15T08:00:00Z", arrival_time: "2024-02-15T10:00:00Z" },
  after: { status: "cancelled", departure_time: "2024-02-15T08:00:00Z", arrival_time: "2024-02-15T10:00:00Z" },
  at: new Date().toISOString(),
});

const config = testBookingConfig();
const redis = createRedis(config.redisUrl);
const sql = createSql(config.bookingsDatabaseUrl, 2);
t.teardown(() => Promise.all([closeRedis(redis), sql.end({ timeout: 5 })]));
const groups = new StreamGroupsRepo(sql);

/** A handler that notes the flights of the events it was given. */
function noting(handled: number[]): DisruptionHandler {
  return {
    handle: async (_id: string, ev: FlightEventBody) => {
      handled.push(ev.flight_id);
      return true;
    },
  } as unknown as DisruptionHandler;
}

t.beforeEach(() => resetStores(redis, sql));

t.test("a flight event appended right after Redis lost its data is still handled", async (t) => {
  const handled: number[] = [];
  const handler = noting(handled);
  const consumer = new DisruptionConsumer(redis, groups, handler, 60_000, quiet);
  await consumer.start();
  t.teardown(() => consumer.stop());
  const appender = eventAppender(redis, 24);

  await appender.append("flight-before", "flight", cancellation(1));
  t.ok(await waitFor(async () => handled.includes(1), 10_000), "handled before the loss");

  await redis.flushdb();
  // The flight-svc relay appends the moment the change commits, which may be right after the loss.
  await appender.append("flight-after", "flight", cancellation(2));
  t.ok(await waitFor(async () => handled.includes(2), 10_000), "handled after the loss");
  await sleep(100);
  t.same(handled, [1, 2], "each once");
});

// The same loss with no instance running: the next one to start found no group, as on a first
// start, and made it at the stream's end, past a flight cancelled in between.
t.test("a flight event appended while no instance ran, after Redis lost its data, is handled", async (t) => {
  const handled: number[] = [];
  const first = new DisruptionConsumer(redis, groups, noting(handled), 60_000, quiet);
  await first.start();
  const appender = eventAppender(redis, 24);
  await appender.append("flight-before", "flight", cancellation(1));
  t.ok(await waitFor(async () => handled.includes(1), 10_000), "handled before the loss");
  await first.stop();

  await redis.flushdb();
  await appender.append("flight-after", "flight", cancellation(2));
  const next = new DisruptionConsumer(redis, groups, noting(handled), 60_000, quiet);
  await next.start();
  t.teardown(() => next.stop());
  t.ok(await waitFor(async () => handled.includes(2), 10_000), "handled once an instance started");
  await sleep(100);
  t.same(handled, [1, 2], "each once");
});

t.test("the very first start passes over what the stream held before it", async (t) => {
  const appender = eventAppender(redis, 24);
  await appender.append("flight-old", "flight", cancellation(1));
  const handled: number[] = [];
  const consumer = new DisruptionConsumer(redis, groups, noting(handled), 60_000, quiet);
  await consumer.start();
  t.teardown(() => consumer.stop());
  await appender.append("flight-new", "flight", cancellation(2));
  t.ok(await waitFor(async () => handled.includes(2), 10_000));
  await sleep(100);
  t.same(handled, [2], "only what came after the group was made");
});
