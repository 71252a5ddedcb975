import type { FastifyBaseLogger } from "fastify";
import { unavailableDependency } from "../../lib/dependency-down.js";
import { PeriodicTask } from "../../lib/periodic-task.js";
import { UpstreamError } from "../../lib/upstream.js";
import type { FlightClient } from "../clients/flight-client.js";
import type { MilesClient } from "../clients/miles-client.js";
import type { FlownRepo, UnearnedLeg } from "./flown-repo.js";
import { distanceMiles } from "./leg-miles.js";

export interface FlownJobOptions {
  intervalMs: number;
  batch: number;
  /** The job's clock: a stress scenario or a test may run it ahead of the wall clock. */
  now?: () => Date;
}

export interface FlownRound {
  flown: number;
  earned: number;
}

/**
 * Issue 17's flown job, run continuously: a leg whose flight has arrived (flight-svc's
 * arrival_time passed) on a booking still confirmed is marked flown, which frees nothing; then
 * every flown leg's miles are earned at user-svc, exactly once per booking leg (user-svc's key),
 * however often a round is repeated, by however many instances. Legs cancelled or changed away
 * before they were flown are no longer on a confirmed booking, so they never earn; nor does a
 * booking confirmed after its flight departed (nobody boarded it).
 */
export class FlownJob {
  private readonly task: PeriodicTask<FlownRound>;
  private readonly now: () => Date;

  constructor(
    private readonly repo: FlownRepo,
    private readonly flights: FlightClient,
    private readonly miles: MilesClient,
    private readonly opts: FlownJobOptions,
    private readonly log: FastifyBaseLogger,
  ) {
    this.now = opts.now ?? (() => new Date());
    this.task = new PeriodicTask(() => this.round(), opts.intervalMs);
  }

  start(): void {
    this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /** One round (joins the round already running). */
  runOnce(): Promise<FlownRound> {
    return this.task.runOnce();
  }

  private async round(): Promise<FlownRound> {
    const result = { flown: 0, earned: 0 };
    try {
      result.flown = await this.markArrived();
      result.earned = await this.earnFlown();
    } catch (err) {
      if (unavailableDependency(err) || err instanceof UpstreamError) {
        this.log.warn({ reason: (err as Error).message }, "flown round stopped early; the next round goes on");
      } else {
        this.log.error({ err }, "flown round failed");
      }
    }
    return result;
  }

  private async markArrived(): Promise<number> {
    const now = this.now();
    const today = now.toISOString().slice(0, 10);
    let flown = 0;
    let after = 0;
    for (;;) {
      const ids = await this.repo.flightsToCheck(today, after, this.opts.batch);
      for (const id of ids) flown += await this.markIfArrived(id, now);
      if (ids.length < this.opts.batch || this.task.stopped) return flown;
      after = ids.at(-1) as number;
    }
  }

  private async markIfArrived(flightId: number, now: Date): Promise<number> {
    const f = await this.flights.getFlight(flightId);
    if (!f || Date.parse(f.arrival_time) > now.getTime()) return 0;
    // A cancelled flight never arrives: its bookings are cancelled (and refunded) instead, except
    // one flown on an earlier leg, which is settled and keeps this leg; once the flight's time has
    // passed its legs are marked never flown, or every later round would ask about it again.
    if (f.status === "cancelled") {
      await this.repo.markNeverFlown(flightId, now);
      return 0;
    }
    const distance = distanceMiles(f.source, f.destination);
    if (distance === null) {
      this.log.warn(
        { flight_id: flightId, source: f.source, destination: f.destination },
        "leg flown without miles: airport unknown",
      );
    }
    return this.repo.markFlown({ id: flightId, departure: new Date(f.departure_time) }, distance ?? 0, now);
  }

  private async earnFlown(): Promise<number> {
    let earned = 0;
    let after: UnearnedLeg | null = null;
    for (;;) {
      const legs = await this.repo.unearned(this.opts.batch, after);
      const acknowledged = legs.filter((leg) => leg.miles === 0);
      // One call and one write a batch, not one of each a leg (10,000 legs flown at once were
      // 10,000 calls). A round stopped by user-svc still records what it acknowledged; what it did
      // not is asked again, which user-svc answers with the entry it keeps for the booking leg.
      try {
        const refused = await this.miles.earnAll(
          legs.filter((leg) => leg.miles > 0),
          (done) => void acknowledged.push(...done),
        );
        // A refused leg stays unearned and is asked again next round; the round goes on past it.
        for (const { leg, reason } of refused) {
          this.log.error(
            { booking_id: leg.bookingId, flight_id: leg.flightId, reason },
            "user-svc refused a flown leg's miles; asked again next round",
          );
        }
      } finally {
        await this.repo.setEarned(acknowledged);
      }
      earned += acknowledged.length;
      if (legs.length < this.opts.batch || this.task.stopped) return earned;
      after = legs.at(-1) as UnearnedLeg;
    }
  }
}
