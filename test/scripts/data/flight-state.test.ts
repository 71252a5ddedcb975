import t from "tap";
import { keys as bookingKeys } from "../../../booking-svc/keys.js";
import { keys } from "../../../flight-svc/inventory/keys.js";
import { keys as searchKeys } from "../../../flight-svc/search/keys.js";
import { closeRedis, createRedis } from "../../../lib/redis-plugin.js";
import { forgetFlightState } from "../../../scripts/data/flight-state.js";
import { testDataConfig } from "../../helpers/config.js";

const redis = createRedis(testDataConfig().redisUrl);
t.teardown(() => closeRedis(redis));

t.test("forgets every inventory key, bumps the schedule version, leaves the rest", async (t) => {
  await redis.flushdb();
  // One key of each kind the inventory module builds.
  const inventory = [
    keys.seatsAvailable(1),
    keys.flightHolds(2),
    keys.flightReturns(3),
    keys.seatsEpoch(4),
    keys.seatsInitLock(5),
    keys.hold("h-1"),
    keys.holdExpiries("h-1"),
  ];
  for (let i = 0; i < 2_500; i++) inventory.push(keys.seatsAvailable(1_000 + i));
  await redis.mset(...inventory.flatMap((k) => [k, "1"]));
  await redis.set(searchKeys.scheduleVersion(), "5");
  await redis.set(bookingKeys.idempotency("k"), "x");
  await redis.set(bookingKeys.tempBooking(1), "x");

  t.equal(await forgetFlightState(redis), inventory.length);
  t.equal(await redis.exists(...inventory), 0);
  t.equal(await redis.get(searchKeys.scheduleVersion()), "6");
  t.equal(await redis.exists(bookingKeys.idempotency("k"), bookingKeys.tempBooking(1)), 2);
});
