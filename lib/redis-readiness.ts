import { redisRefusesWrite } from "./dependency-down.js";
import { NotServing, type ReadinessCheck } from "./health.js";
import { keyPerMaster } from "./redis-nodes.js";
import type { RedisClient } from "./redis-plugin.js";

/** The probe's keys: a namespace no service's data uses (their key names: docs/architecture.md). */
export const READY_PROBE_PREFIX = "ready-probe:";
// Longer than one check takes, so that each probe's key is gone before long without a DEL;
// probes every few seconds keep at most one key per service and master.
const PROBE_TTL_MS = 5_000;

/**
 * Readiness of the Redis a service writes to: a small key that expires by itself, written on
 * every master (on Redis Cluster each master serves its own part of the keys). A read (PING)
 * still answers while Redis refuses every write (full at its maxmemory with noeviction: OOM;
 * its snapshot failing: MISCONF; a replica: READONLY; too few replicas: NOREPLICAS), so an
 * instance whose every write answered 503 looked ready. SET is refused in each of those cases,
 * as any write that may take memory is.
 */
export function redisWritable(redis: RedisClient, service: string): ReadinessCheck {
  return async () => {
    const probes = await keyPerMaster(redis, (n) => `${READY_PROBE_PREFIX}${service}:{${n}}`);
    await Promise.all(
      [...probes].map(async ([master, key]) => {
        try {
          await redis.set(key, "1", "PX", PROBE_TTL_MS);
        } catch (err) {
          if (!redisRefusesWrite(err)) throw err;
          throw new NotServing(
            "refuses writes",
            master ? `${master}: ${(err as Error).message}` : (err as Error).message,
          );
        }
      }),
    );
  };
}
