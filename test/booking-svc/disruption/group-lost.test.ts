import { setTimeout as sleep } from "node:timers/promises";
import t from "tap";
import { DisruptionConsumer } from "../../../booking-svc/disruption/consumer.js";
import type { DisruptionHandler } from "../../../booking-svc/disruption/handler.js";
import type { FlightEventBody } from "../../../contracts/events/stream.js";
import { eventAppender } from "../../../lib/events/append-event.js";
import { closeRedis, createRedis } from "../../../lib/redis-plugin.js";
import { testBookingConfig } from "../../helpers/config.js";
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

t.test("a flight event appended right after Redis lost its data is still handled", async (t) => {
  const redis = createRedis(testBookingConfig().redisUrl);
  t.teardown(() => closeRedis(redis));
  await redis.flushdb();
  const handled: number[] = [];
  const handler = {
    handle: async (_id: string, ev: FlightEventBody) => {
      handled.push(ev.flight_id);
      return true;
    },
  } as unknown as DisruptionHandler;
  const consumer = new DisruptionConsumer(redis, handler, 60_000, quiet);
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
