import { BookingTraffic } from "../scenarios/booking-traffic.js";

// When each answer of a fault run came and what it was, so that the run can say what clients
// saw during the fault and how soon after it bookings were confirmed again.

export interface Answer {
  /** ms since the run's load began */
  at: number;
  status: number;
  /** The booking's status in the body (confirmed, failed, pending, cancelled), if any. */
  booking: string | null;
}

type Ctx = Parameters<BookingTraffic["book"]>[1];

/** Booking traffic that also keeps every answer with its time. */
export class TimedTraffic extends BookingTraffic {
  readonly answers: Answer[] = [];
  private started = performance.now();

  start(): void {
    this.started = performance.now();
  }

  now(): number {
    return performance.now() - this.started;
  }

  override answer(status: number, body: string, ctx: Ctx, headers: Record<string, unknown> | undefined): void {
    const booking = /"status":"(\w+)"/.exec(body)?.[1] ?? null;
    this.answers.push({ at: this.now(), status, booking });
    super.answer(status, body, ctx, headers);
  }
}

export interface Window {
  from: number;
  to: number;
}

/** Status codes (as "201: 12, 503: 40") of the answers that arrived in the window. */
export function statusesIn(answers: readonly Answer[], w: Window): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of answers) {
    if (a.at >= w.from && a.at < w.to) out[a.status] = (out[a.status] ?? 0) + 1;
  }
  return out;
}

/** ms from `after` to the first confirmed booking answered after it; null if none came. */
export function firstConfirmedAfter(answers: readonly Answer[], after: number): number | null {
  let best: number | null = null;
  for (const a of answers) {
    if (a.at >= after && a.booking === "confirmed" && a.status < 300 && (best === null || a.at < best)) best = a.at;
  }
  return best === null ? null : best - after;
}

/** Answers other than 2xx, 4xx and 503: what a dependency outage must never produce. */
export function unexpectedStatuses(answers: readonly Answer[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of answers) {
    const ok = (a.status >= 200 && a.status < 300) || (a.status >= 400 && a.status < 500) || a.status === 503;
    if (!ok) out[a.status] = (out[a.status] ?? 0) + 1;
  }
  return out;
}
