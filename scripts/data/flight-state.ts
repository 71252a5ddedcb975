import { INVENTORY_KEY_PATTERN } from "../../flight-svc/inventory/keys.js";
import { keys } from "../../flight-svc/search/keys.js";
import { eachMaster } from "../../lib/redis-nodes.js";
import type { RedisClient } from "../../lib/redis-plugin.js";

// After the flights are replaced, what Redis knows about the old ones is wrong: seat counters
// and holds of ids that now name other flights. This forgets it and bumps the schedule version
// so that cached searches are not served again.

/** Deletes every inventory key (counters, holds) and bumps the schedule version; returns how many keys went. */
export async function forgetFlightState(redis: RedisClient): Promise<number> {
  const perNode = await eachMaster(redis, async (node) => {
    let deleted = 0;
    let cursor = "0";
    do {
      const [next, found] = await node.scan(cursor, "MATCH", INVENTORY_KEY_PATTERN, "COUNT", 1_000);
      // One UNLINK per key: the keys a node holds span many slots, which one command may not.
      const replies = (await node.pipeline(found.map((k) => ["unlink", k])).exec()) ?? [];
      deleted += replies.reduce((n, [, r]) => n + Number(r ?? 0), 0);
      cursor = next;
    } while (cursor !== "0");
    return deleted;
  });
  await redis.incr(keys.scheduleVersion());
  return perNode.reduce((a, b) => a + b, 0);
}
