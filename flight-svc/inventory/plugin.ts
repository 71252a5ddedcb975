import fp from "fastify-plugin";
import { Cluster } from "ioredis";
import { LRUCache } from "lru-cache";
import type { Validation } from "../../contracts/flight-svc/flights.js";
import type { HoldConfirmed, HoldHandedOver, HoldReleased, HoldView } from "../../contracts/flight-svc/holds.js";
import type { FlightConfig } from "../config.js";
import { SeatsRepo } from "../seating/repo.js";
import { SeatAssignmentsService } from "../seating/service.js";
import { releaseHold } from "./cancel.js";
import { confirmHold, finishBatch, finishOne } from "./confirm.js";
import { type InventoryContext, keepMsOf } from "./context.js";
import { SeatCounters } from "./counters.js";
import { decrementSeats, incrementSeats } from "./direct.js";
import { FailoverWatch } from "./failover-watch.js";
import { FlightMetaCache } from "./flight-meta.js";
import { GroupCommit } from "./group-commit.js";
import { type HandOver, handOverHold } from "./hand-over.js";
import { getHold, type HoldRequest, type PlacedHold, placeHold } from "./holds.js";
import { Ledger, type OpKind } from "./ledger.js";
import { OneScriptSteps } from "./leg-steps.js";
import { PerLegSteps } from "./per-leg-steps.js";
import { registerInventoryMetrics } from "./prometheus.js";
import { Reconciler } from "./reconcile.js";
import type { ReconcileReport } from "./schemas.js";
import { defineInventoryCommands } from "./scripts.js";
import { InventoryStats } from "./stats.js";
import { Sweeper, type SweepResult } from "./sweeper.js";
import { validateFlight } from "./validate.js";

export interface Inventory {
  /** Seats free now, in the order given (one Redis round trip per node when the counters exist); null: no such flight. */
  availableSeats(flightIds: number[]): Promise<(number | null)[]>;
  /** Moves a counter by a change of total_seats; AppError not_enough_seats below zero. */
  adjustTotalSeats(flightId: number, delta: number): Promise<void>;
  /** After a flight's row was added or changed: holds and validations read it again. */
  flightChanged(flightId: number): void;
  placeHold(req: HoldRequest): Promise<PlacedHold>;
  getHold(holdId: string): Promise<HoldView>;
  confirmHold(holdId: string): Promise<HoldConfirmed>;
  releaseHold(holdId: string): Promise<HoldReleased>;
  /** Legs of a confirmed hold become another hold's of the same booking, their seats still booked. */
  handOverHold(h: HandOver): Promise<HoldHandedOver>;
  /** Books seats without a hold (the original's API); `date` must be the flight's departure date. */
  decrement(flightId: number, seats: number, date: string): Promise<number>;
  increment(flightId: number, seats: number, date: string): Promise<number>;
  validate(flightId: number, seats: number, date: string): Promise<Validation>;
  reconcile(repair: boolean): Promise<ReconcileReport>;
  /** Check-in seats: seat maps and assignments (flight-svc/seating/). */
  seating: SeatAssignmentsService;
  /** One sweep of due holds now (tests pass a later `now`). */
  sweepOnce(now?: number): Promise<SweepResult>;
  /** Resolves once the decrements already answered have ended in Redis too (tests; close waits for it). */
  idle(): Promise<void>;
}

declare module "fastify" {
  interface FastifyInstance {
    inventory: Inventory;
  }
}

export interface InventoryPluginOptions {
  config: FlightConfig;
}

// Ended holds stay answerable (GET, repeated DELETE/confirm) for a day and an hour.
const TOMBSTONE_MS = 25 * 3600_000;

/** Seat inventory: counters and holds in Redis (lua/), durable seats in PostgreSQL. */
export const inventoryPlugin = fp<InventoryPluginOptions>(
  async (app, { config }) => {
    defineInventoryCommands(app.redis);
    const counters = new SeatCounters(app.redis, app.sql);
    const seatsRepo = new SeatsRepo(app.sql);
    const seating = new SeatAssignmentsService(app.redis, seatsRepo);
    const ledger = new Ledger(app.sql);
    const steps =
      config.flight.inventoryProtocol === "per-leg" || app.redis instanceof Cluster
        ? new PerLegSteps(app.redis, config.flight.holdSettleGraceMs)
        : new OneScriptSteps(app.redis);
    const times = { tombstoneMs: TOMBSTONE_MS, graceMs: config.flight.holdSettleGraceMs };
    const keepMs = (kind: OpKind) => keepMsOf(times, kind);
    const groupCommit = new GroupCommit(
      app.sql,
      ledger,
      config.flight.confirmBatchMax,
      finishBatch(steps, keepMs),
      finishOne(steps, keepMs),
    );
    const meta = new FlightMetaCache(app.sql);
    const ctx: InventoryContext = {
      redis: app.redis,
      ledger,
      groupCommit,
      counters,
      meta,
      steps,
      holdTtlSeconds: config.flight.holdTtlSeconds,
      ...times,
      seating,
      recentLegs: new LRUCache({ max: 100_000 }),
    };
    const sweeper = new Sweeper(ctx, app.log, config.flight.holdSweepMs);
    const reconciler = new Reconciler(app.redis, app.sql, counters, seatsRepo);
    const stats = new InventoryStats();
    const repair = async () => {
      const report = await reconciler.run(true);
      stats.recordReconcile(report.drift.length);
      return report;
    };
    const failover = new FailoverWatch(app.redis, repair, config.flight.reconcileAfterFailoverMs, app.log);
    registerInventoryMetrics(app.metrics, { stats, counters, sweeper, groupCommit, redis: app.redis });
    app.decorate("inventory", {
      availableSeats: (ids) => counters.availableSeats(ids),
      adjustTotalSeats: (id, delta) => counters.adjustTotalSeats(id, delta),
      flightChanged: (id) => meta.forget(id),
      placeHold: (req) => stats.count(stats.holds, () => "placed", placeHold(ctx, req)),
      getHold: (id) => getHold(ctx, id),
      confirmHold: (id) => stats.count(stats.confirms, (r) => r.status, confirmHold(ctx, id)),
      releaseHold: (id) => stats.count(stats.releases, (r) => r.status, releaseHold(ctx, id)),
      handOverHold: (h) => handOverHold(ctx, h),
      decrement: (id, seats, date) => decrementSeats(ctx, id, seats, date),
      increment: (id, seats, date) => incrementSeats(ctx, id, seats, date),
      validate: (id, seats, date) => validateFlight(ctx, id, seats, date),
      reconcile: async (repair) => {
        const report = await reconciler.run(repair);
        stats.recordReconcile(report.drift.length);
        return report;
      },
      sweepOnce: (now) => sweeper.sweepOnce(now),
      idle: () => groupCommit.idle(),
      seating,
    } satisfies Inventory);
    app.addHook("onReady", async () => {
      sweeper.start();
      failover.start();
    });
    // Runs before the Redis and PostgreSQL plugins close theirs (onClose runs in reverse order).
    app.addHook("onClose", async () => Promise.all([sweeper.stop(), failover.stop(), groupCommit.idle()]));
  },
  { name: "inventory", dependencies: ["redis", "postgres", "metrics"] },
);
