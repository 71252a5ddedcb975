import fp from "fastify-plugin";
import { readOrCreateServiceSecret } from "../lib/auth/service-secret.js";
import { eventAppender } from "../lib/events/append-event.js";
import { BookingCancellation } from "./cancel-booking.js";
import { ChangeActions } from "./change/actions.js";
import { BookingChange } from "./change/change-booking.js";
import { ChangeIdempotency } from "./change/change-idempotency.js";
import { ChangeService } from "./change/change-service.js";
import { ChangeExecutor } from "./change/executor.js";
import { ChangeRecovery } from "./change/recovery.js";
import { BreakerUpstream, registerBreakerMetrics } from "./clients/breaker.js";
import { FlightClient } from "./clients/flight-client.js";
import { MilesClient } from "./clients/miles-client.js";
import { PaymentClient } from "./clients/payment-client.js";
import { PaymentMethods } from "./clients/payment-method.js";
import { ServiceToken } from "./clients/service-token.js";
import type { BookingConfig } from "./config.js";
import { BookingCreation } from "./create-booking.js";
import { DisruptionConsumer } from "./disruption/consumer.js";
import { DisruptionHandler } from "./disruption/handler.js";
import { LegRefunds } from "./disruption/leg-refunds.js";
import { BookingNotices } from "./disruption/notices.js";
import { FlownJob } from "./flown/flown-job.js";
import { FlownRepo } from "./flown/flown-repo.js";
import { IdempotencyStore } from "./idempotency.js";
import { registerBookingMetrics } from "./metrics.js";
import { SagaActions } from "./saga/actions.js";
import { SagaExecutor, type SagaHooks } from "./saga/executor.js";
import { HoldStep } from "./saga/hold-step.js";
import { BookingService } from "./service.js";
import { BookingStats } from "./stats.js";
import { BookingIds } from "./store/booking-ids.js";
import { BookingsRepo } from "./store/bookings-repo.js";
import { ChangesRepo } from "./store/changes-repo.js";
import { LegRefundsRepo } from "./store/leg-refunds-repo.js";
import { NewBookings } from "./store/new-bookings.js";
import { StreamGroupsRepo } from "./store/stream-groups-repo.js";
import { TempBookings } from "./store/temp-bookings.js";
import { Sweeper } from "./sweeper.js";
import { Idempotency } from "./with-idempotency.js";

declare module "fastify" {
  interface FastifyInstance {
    bookings: BookingService;
    bookingsRepo: BookingsRepo;
    bookingChanges: ChangeService;
    sweeper: Sweeper;
    disruption: DisruptionConsumer;
    /** The connection to flight-svc, for the check-in plugin's clients. */
    flightUpstream: BreakerUpstream;
    flownJob: FlownJob;
  }
}

export interface BookingPluginOptions {
  config: BookingConfig;
  hooks?: SagaHooks;
  /** false: no periodic sweeper (tests call app.sweeper.sweepOnce() themselves). */
  sweeper?: boolean;
  /** false: no disruption consumer on the events stream; app.disruption.pollOnce() still works. */
  disruption?: boolean;
  /** false: no periodic flown job (tests call app.flownJob.runOnce() themselves). */
  flown?: boolean;
  /** The flown job's clock (a test's or a stress scenario's). */
  flownClock?: () => Date;
}

// What shutdown keeps for closing the pools after the drain, so the drain never runs into
// SHUTDOWN_TIMEOUT_MS (which then forces the exit).
const CLOSE_MARGIN_MS = 2_000;

/** How long shutdown lets running bookings finish: the longest a request may take, within SHUTDOWN_TIMEOUT_MS. */
export function drainBudgetMs(config: BookingConfig): number {
  const c = config.booking;
  return Math.max(0, Math.min(c.paymentTimeoutMs + 3 * c.flightTimeoutMs, config.shutdownTimeoutMs - CLOSE_MARGIN_MS));
}

/** booking-svc's service token for its upstreams. */
function serviceToken(config: BookingConfig): ServiceToken {
  const { auth } = config;
  const tokenUrl = new URL("/api/auth/token", auth.userServiceUrl).href;
  return new ServiceToken(tokenUrl, () => readOrCreateServiceSecret(auth), config.booking.flightTimeoutMs);
}

/** The booking saga: upstream clients, the bookings store, the executor, idempotency, the sweeper. */
export const bookingPlugin = fp<BookingPluginOptions>(
  async (app, { config, hooks, sweeper = true, disruption = true, flown = true, flownClock }) => {
    const c = config.booking;
    const log = app.log.child({ component: "booking-saga" });
    // None for flight-svc and payment-mock with AUTH_MODE=off; user-svc's ledger always asks for one.
    const milesCredential = serviceToken(config);
    const credential = config.auth.mode === "off" ? undefined : milesCredential;
    const breaker = { failures: c.breakerFailures, halfOpenAfterMs: c.breakerHalfOpenMs };
    const flightUp = new BreakerUpstream(
      "flight-svc",
      c.flightServiceUrl,
      c.flightTimeoutMs,
      c.upstreamConnections,
      credential,
      breaker,
    );
    const paymentUp = new BreakerUpstream(
      "payment-mock",
      c.paymentServiceUrl,
      c.paymentTimeoutMs,
      c.upstreamConnections,
      credential,
      breaker,
    );
    const milesUp = new BreakerUpstream(
      "user-svc",
      config.auth.userServiceUrl,
      c.paymentTimeoutMs,
      c.upstreamConnections,
      milesCredential,
      breaker,
    );
    const flights = new FlightClient(flightUp);
    const miles = new MilesClient(milesUp, c.milesPerUnit);
    const money = new PaymentClient(paymentUp, c.paymentConcurrency);
    const payments = new PaymentMethods(money, miles);
    const repo = new BookingsRepo(app.sql);
    const temp = new TempBookings(app.redis, c.holdTtlSeconds);
    const changes = new ChangesRepo(app.sql);
    const actions = new SagaActions(flights, payments, log, (id) => changes.chargesOf(id));
    const stats = new BookingStats();
    const executor = new SagaExecutor(repo, temp, actions, c.holdTtlSeconds, stats, log, hooks);
    const idem = new IdempotencyStore(app.redis, c.idempotencyTtlSeconds, c.pendingDeadlineSeconds);
    const service = new BookingService(
      new BookingCreation(
        repo,
        new HoldStep(flights, new BookingIds(app.sql), c.holdTtlSeconds, config.minConnectionMinutes, log, hooks),
        new NewBookings(repo),
        flights,
        executor,
        stats,
        c.pendingDeadlineSeconds,
      ),
      new BookingCancellation(
        repo,
        executor,
        flights,
        { leaseSeconds: c.pendingDeadlineSeconds, retrySeconds: c.sweepMs / 1000 },
        log,
      ),
      {
        bookings: Idempotency.forBookings(idem, repo, stats),
        cancellations: Idempotency.forCancellations(idem, repo, stats),
      },
    );
    const changeExecutor = new ChangeExecutor(
      changes,
      new ChangeActions(flights, payments, c.holdTtlSeconds, log),
      log,
      hooks,
    );
    const changeService = new ChangeService(
      new BookingChange(
        repo,
        changes,
        flights,
        changeExecutor,
        {
          fee: c.changeFee,
          leaseSeconds: c.pendingDeadlineSeconds,
          retrySeconds: c.sweepMs / 1000,
          minConnectionMinutes: config.minConnectionMinutes,
        },
        log,
      ),
      new ChangeIdempotency(idem, changes, repo),
      service.work,
    );
    const notices = new BookingNotices(eventAppender(app.redis, config.eventsRetentionHours), repo, log);
    const disruptionLog = app.log.child({ component: "disruption" });
    const legRefunds = new LegRefunds(new LegRefundsRepo(app.sql), payments, disruptionLog, hooks);
    const sweep = new Sweeper(
      repo,
      executor,
      {
        intervalMs: c.sweepMs,
        batch: c.sweepBatch,
        leaseSeconds: c.pendingDeadlineSeconds,
        maxBackoffSeconds: c.retryMaxSeconds,
        owed: async () => {
          await notices.sendOwed();
          await legRefunds.finishStale(c.pendingDeadlineSeconds, c.sweepBatch);
        },
        changes: new ChangeRecovery(changes, changeExecutor, log),
      },
      stats,
      log,
    );
    executor.notice = {
      beforeSave: (b) =>
        notices.beforeSave({ id: b.id, holdNonce: b.holdNonce, userId: b.userId, flightIds: b.flightIds }),
      owed: (b) => void notices.owed(b.id),
    };
    changeExecutor.confirmed = (id) => void notices.owed(id);
    const disruptions = new DisruptionConsumer(
      app.redis,
      new StreamGroupsRepo(app.sql),
      new DisruptionHandler(
        repo,
        executor,
        flights,
        notices,
        legRefunds,
        {
          minConnectionMinutes: config.minConnectionMinutes,
          leaseSeconds: c.pendingDeadlineSeconds,
          retrySeconds: c.sweepMs / 1000,
          concurrency: c.disruptionConcurrency,
        },
        app.log.child({ component: "disruption" }),
      ),
      c.disruptionRetryMs,
      app.log.child({ component: "disruption" }),
    );
    const flownJob = new FlownJob(
      new FlownRepo(app.sql),
      flights,
      miles,
      { intervalMs: c.flownJobMs, batch: c.flownBatch, now: flownClock },
      app.log.child({ component: "flown" }),
    );
    registerBookingMetrics(app.metrics, stats, app.sql);
    registerBreakerMetrics(app.metrics, [flightUp, paymentUp, milesUp]);
    app.decorate("bookings", service);
    app.decorate("bookingsRepo", repo);
    app.decorate("bookingChanges", changeService);
    app.decorate("sweeper", sweep);
    app.decorate("disruption", disruptions);
    app.decorate("flightUpstream", flightUp);
    app.decorate("flownJob", flownJob);
    if (sweeper) app.addHook("onReady", async () => sweep.start());
    if (disruption) app.addHook("onReady", async () => disruptions.start());
    if (flown) app.addHook("onReady", async () => flownJob.start());
    // Runs before the Redis and PostgreSQL plugins close theirs (onClose goes in reverse):
    // bookings still running (their clients may have gone) finish first.
    app.addHook("onClose", async () => {
      await Promise.all([sweep.stop(), disruptions.stop(), flownJob.stop()]);
      await service.work.drain(drainBudgetMs(config));
      await Promise.allSettled([flightUp.close(), paymentUp.close(), milesUp.close()]);
    });
  },
  { name: "booking", dependencies: ["redis", "postgres", "metrics"] },
);
