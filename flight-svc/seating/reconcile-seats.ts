import { pipelineByNode } from "../../lib/redis-nodes.js";
import type { RedisClient } from "../../lib/redis-plugin.js";
import { keys } from "../inventory/keys.js";
import type { SeatsRepo } from "./repo.js";
import { ownerOf, STALE_CLAIM_MS } from "./service.js";

export interface SeatMapDrift {
  flight_id: number;
  /** Seats whose holder in Redis is not PostgreSQL's (either side may have none). */
  seats: string[];
}

/**
 * Compares the loaded seat maps of `ids` with seat_assignments, the truth. A claim younger than
 * a stale one may still be on its way to PostgreSQL and is not drift. Repair drops the map: the
 * next reader loads it from PostgreSQL (lua/seat-load.lua), so no claim is lost or invented.
 */
export async function checkSeatMaps(
  redis: RedisClient,
  repo: SeatsRepo,
  ids: number[],
  repair: boolean,
  now = Date.now(),
): Promise<{ drift: SeatMapDrift[]; repaired: number }> {
  const maps = (await pipelineByNode(redis, ids, keys.seatMap, (pipe, id) => pipe.hgetall(keys.seatMap(id)))) as Record<
    string,
    string
  >[];
  const drift: SeatMapDrift[] = [];
  let repaired = 0;
  for (const [i, map] of maps.entries()) {
    if (map._ === undefined) continue;
    const id = ids[i] as number;
    const truth = new Map((await repo.ofFlight(id)).map((r) => [r.seat, `${r.booking_ref}:${r.passenger}`]));
    const seats = new Set<string>();
    for (const [seat, value] of Object.entries(map)) {
      if (seat === "_") continue;
      const young = now - Number(value.split(":")[2]) < STALE_CLAIM_MS;
      if (truth.get(seat) !== ownerOf(value) && !(young && !truth.has(seat))) seats.add(seat);
    }
    for (const seat of truth.keys()) if (map[seat] === undefined) seats.add(seat);
    if (seats.size === 0) continue;
    drift.push({ flight_id: id, seats: [...seats].sort() });
    if (repair) {
      await redis.del(keys.seatMap(id));
      repaired++;
    }
  }
  return { drift, repaired };
}
