import fp from "fastify-plugin";
import type { Config } from "../lib/config.js";
import { FlightClient } from "./clients/flight-client.js";
import { Upstream } from "./clients/http.js";
import { PaymentClient } from "./clients/payment-client.js";
import { IdempotencyStore } from "./idempotency.js";
import { SagaActions } from "./saga/actions.js";
import { SagaExecutor, type SagaHooks } from "./saga/executor.js";
import { BookingService } from "./service.js";
import { BookingsRepo } from "./store/bookings-repo.js";
import { TempBookings } from "./store/temp-bookings.js";
import { Sweeper } from "./sweeper.js";

declare module "fastify" {
  interface FastifyInstance {
    bookings: BookingService;
    bookingsRepo: BookingsRepo;
    sweeper: Sweeper;
  }
}

export interface BookingPluginOptions {
  config: Config;
  hooks?: SagaHooks;
  /** false: no periodic sweeper (tests call app.sweeper.sweepOnce() themselves). */
  sweeper?: boolean;
}

/** The booking saga: upstream clients, the bookings store, the executor, idempotency, the sweeper. */
export const bookingPlugin = fp<BookingPluginOptions>(
  async (app, { config, hooks, sweeper = true }) => {
    const c = config.booking;
    const log = app.log.child({ component: "booking-saga" });
    const flightUp = new Upstream("flight-svc", c.flightServiceUrl, c.flightTimeoutMs, c.upstreamConnections);
    const paymentUp = new Upstream("payment-mock", c.paymentServiceUrl, c.paymentTimeoutMs, c.upstreamConnections);
    const flights = new FlightClient(flightUp);
    const payments = new PaymentClient(paymentUp, c.paymentConcurrency);
    const repo = new BookingsRepo(app.sql);
    const temp = new TempBookings(app.redis, c.holdTtlSeconds);
    const actions = new SagaActions(flights, payments, c.holdTtlSeconds, log);
    const executor = new SagaExecutor(repo, temp, actions, c.holdTtlSeconds, log, hooks);
    const idem = new IdempotencyStore(app.redis, c.idempotencyTtlSeconds, c.pendingDeadlineSeconds);
    const retrySeconds = c.sweepMs / 1000;
    const service = new BookingService(
      repo,
      flights,
      executor,
      idem,
      { deadlineSeconds: c.pendingDeadlineSeconds, retrySeconds },
      log,
    );
    const sweep = new Sweeper(
      repo,
      executor,
      {
        intervalMs: c.sweepMs,
        batch: c.sweepBatch,
        leaseSeconds: c.pendingDeadlineSeconds,
        maxBackoffSeconds: c.retryMaxSeconds,
      },
      log,
    );
    app.decorate("bookings", service);
    app.decorate("bookingsRepo", repo);
    app.decorate("sweeper", sweep);
    if (sweeper) app.addHook("onReady", async () => sweep.start());
    // Runs before the Redis and PostgreSQL plugins close theirs (onClose goes in reverse):
    // bookings still running (their clients may have gone) finish first, within the longest a
    // request may take.
    app.addHook("onClose", async () => {
      await sweep.stop();
      await service.work.drain(c.paymentTimeoutMs + 3 * c.flightTimeoutMs);
      await Promise.allSettled([flightUp.close(), paymentUp.close()]);
    });
  },
  { name: "booking", dependencies: ["redis", "postgres"] },
);
