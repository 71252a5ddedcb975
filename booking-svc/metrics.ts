import type { Registry } from "prom-client";
import { gaugeFrom, labelledCounterFrom } from "../lib/metrics.js";
import type { Sql } from "../lib/postgres-plugin.js";
import type { BookingStats } from "./stats.js";

/** booking-svc's domain families: saga outcomes, compensations, recoveries, idempotency. */
export function registerBookingMetrics(registry: Registry, stats: BookingStats, sql: Sql): void {
  labelledCounterFrom(
    registry,
    "skybook_bookings_total",
    "Booking requests answered, by the booking's status in the answer.",
    "outcome",
    () => stats.outcomes.snapshot(),
  );
  labelledCounterFrom(
    registry,
    "skybook_saga_compensations_total",
    "Compensating saga actions performed (seats released, payments refunded).",
    "action",
    () => stats.compensations.snapshot(),
  );
  labelledCounterFrom(
    registry,
    "skybook_saga_recoveries_total",
    "Unfinished bookings the recovery sweeper worked on, by result (retry: still unsettled).",
    "result",
    () => stats.recoveries.snapshot(),
  );
  labelledCounterFrom(
    registry,
    "skybook_idempotency_total",
    "Requests with an Idempotency-Key seen before: replays, body mismatches (422), still in progress (409).",
    "result",
    () => stats.idempotency.snapshot(),
  );
  // The partial index on unfinished sagas keeps this a small scan however many bookings there are.
  // Every worker reads the same table: the oldest age, not the workers' sum.
  gaugeFrom(
    registry,
    "skybook_saga_oldest_pending_seconds",
    "Age of the oldest booking still pending (0 when none is).",
    "max",
    async () => {
      const [row] = await sql<{ age: number | null }[]>`
        SELECT extract(epoch FROM now() - min(created_at))::float8 AS age
        FROM bookings WHERE step <> 'done' AND status = 'pending'`;
      return row?.age ?? 0;
    },
  );
}
