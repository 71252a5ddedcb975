import { randomUUID } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import { withRequestId } from "../../lib/request-context.js";
import type { ChangeRow, ChangesRepo } from "../store/changes-repo.js";
import type { ChangeExecutor } from "./executor.js";

export interface ChangeSweepRound {
  batch: number;
  leaseSeconds: number;
  /** Seconds until a change that could not be settled now is tried again, by its attempts. */
  backoff: (attempts: number) => number;
  stopped: () => boolean;
}

/**
 * The booking sweeper's share for changes: every unfinished change whose lease has ended (its
 * request died, an upstream did not answer) is finished or undone from its row, under the same
 * lease rules as bookings (claimUnfinished hands each change to one sweeper at a time).
 */
export class ChangeRecovery {
  constructor(
    private readonly repo: ChangesRepo,
    private readonly executor: ChangeExecutor,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** One round; resolves to the number of changes looked at. */
  async sweep(round: ChangeSweepRound): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await this.repo.claimUnfinished(round.batch, round.leaseSeconds);
      total += rows.length;
      await Promise.all(rows.map((c) => withRequestId(c.requestId ?? randomUUID(), () => this.recoverOne(c, round))));
      if (rows.length < round.batch || round.stopped()) return total;
    }
  }

  private async recoverOne(c: ChangeRow, round: ChangeSweepRound): Promise<void> {
    try {
      const result = await this.executor.run(c, "recover");
      if (result.lost || result.state.step === "done") {
        this.log.info(
          { booking_id: c.bookingId, change_id: c.id, status: result.state.status },
          "unfinished change recovered",
        );
        return;
      }
    } catch (err) {
      this.log.error({ err, booking_id: c.bookingId, change_id: c.id }, "change recovery failed");
    }
    await this.repo.setLease(c.id, round.backoff(c.attempts)).catch(() => {});
  }
}
