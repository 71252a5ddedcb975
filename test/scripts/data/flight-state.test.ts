import t from "tap";
import { keys } from "../../../lib/redis-keys.js";
import { closeRedis, createRedis } from "../../../lib/redis-plugin.js";
import { forgetFlightState } from "../../../scripts/data/flight-state.js";
import { testConfig } from "../../helpers/config.js";

const redis = createRedis(testConfig().redisUrl);
t.teardown(() => closeRedis(redis));

t.test("forgets every inventory key, bumps the schedule version, leaves the rest", async (t) => {
  await redis.flushdb();
  const inventory = [keys.seatsAvailable(1), keys.flightHolds(2), keys.hold("h-1"), keys.holdExpiries()];
  for (let i = 0; i < 2_500; i++) inventory.push(keys.seatsAvailable(1_000 + i));
  await redis.mset(...inventory.flatMap((k) => [k, "1"]));
  await redis.set(keys.scheduleVersion(), "5");
  await redis.set(keys.idempotency("k"), "x");
  await redis.set(keys.tempBooking(1), "x");

  t.equal(await forgetFlightState(redis), inventory.length);
  t.equal(await redis.exists(...inventory), 0);
  t.equal(await redis.get(keys.scheduleVersion()), "6");
  t.equal(await redis.exists(keys.idempotency("k"), keys.tempBooking(1)), 2);
});
