import type { Redis } from "ioredis";
import { INVENTORY_KEY_PATTERN } from "../../flight-svc/inventory/keys.js";
import { keys } from "../../flight-svc/search/keys.js";

// After the flights are replaced, what Redis knows about the old ones is wrong: seat counters
// and holds of ids that now name other flights. This forgets it and bumps the schedule version
// so that cached searches are not served again.

/** Deletes every inventory key (counters, holds) and bumps the schedule version; returns how many keys went. */
export async function forgetFlightState(redis: Redis): Promise<number> {
  let deleted = 0;
  let cursor = "0";
  do {
    const [next, found] = await redis.scan(cursor, "MATCH", INVENTORY_KEY_PATTERN, "COUNT", 1_000);
    if (found.length > 0) deleted += await redis.unlink(...found);
    cursor = next;
  } while (cursor !== "0");
  await redis.incr(keys.scheduleVersion());
  return deleted;
}
