import type { FastifyBaseLogger } from "fastify";
import { PeriodicTask } from "../lib/periodic-task.js";
import type { UsersRepo } from "./users-repo.js";

/** Spent refresh tokens are few next to the rows a day of logins adds: once an hour keeps up. */
export const REFRESH_SWEEP_MS = 3_600_000;

/** Deletes the refresh tokens that only answer 401 now (UsersRepo.pruneRefresh), at start and hourly. */
export function refreshSweep(repo: UsersRepo, log: FastifyBaseLogger): PeriodicTask<void> {
  return new PeriodicTask(async () => {
    try {
      const deleted = await repo.pruneRefresh();
      if (deleted > 0) log.info({ deleted }, "spent refresh tokens deleted");
    } catch (err) {
      log.warn({ reason: (err as Error).message }, "refresh tokens not swept; the next round tries again");
    }
  }, REFRESH_SWEEP_MS);
}
