import type autocannon from "autocannon";
import type { Rng } from "../rng.js";

// Booking requests, each one different (user, itinerary, seats, Idempotency-Key), and what
// their answers said. Optionally a share of bookings is sent again with the same key and body
// (a client retrying), sometimes while the first is still running, and confirmed bookings are
// offered for cancellation.

export interface Itinerary {
  flightIds: number[];
  date: string;
}

export interface BookingTrafficOptions {
  maxSeats: number;
  /** Share of bookings sent a second time with the same Idempotency-Key and body. */
  retryShare: number;
  /** Keep confirmed booking ids so that cancellations can pick them. */
  collectConfirmed: boolean;
}

interface Retry {
  key: string;
  body: string;
  notBefore: number;
}

type Ctx = { kind?: "book" | "retry" | "cancel"; key?: string };

const RETRY_DELAY_MAX_MS = 400;

export class BookingTraffic {
  readonly outcomes: Record<string, number> = {};
  /** Idempotency-Key → booking ids named by its answers, for keys sent more than once. */
  readonly idempotency = new Map<string, Set<number>>();
  private readonly retries: Retry[] = [];
  private readonly confirmed: number[] = [];
  private n = 0;

  constructor(
    private readonly rng: Rng,
    private readonly users: { from: number; to: number },
    private readonly itineraries: Itinerary[],
    private readonly tag: number,
    private readonly opts: BookingTrafficOptions,
  ) {
    if (itineraries.length === 0) throw new Error("booking traffic needs at least one itinerary");
  }

  count(outcome: string): void {
    this.outcomes[outcome] = (this.outcomes[outcome] ?? 0) + 1;
  }

  /** A booking, or a due retry of an earlier one. */
  book(req: autocannon.Request, ctx: Ctx): autocannon.Request {
    const due = this.retries[0];
    if (due && due.notBefore <= Date.now()) {
      this.retries.shift();
      ctx.kind = "retry";
      ctx.key = due.key;
      return this.post(req, due.key, due.body);
    }
    const n = this.n++;
    const it = this.rng.pick(this.itineraries);
    const span = this.users.to - this.users.from;
    const body = JSON.stringify({
      user_id: this.users.from + (n % span),
      ...(it.flightIds.length === 1 ? { flight_id: it.flightIds[0] } : { flight_ids: it.flightIds }),
      seats: this.rng.int(1, this.opts.maxSeats),
      date: it.date,
      payment_type: "credit_card",
    });
    const key = `stress-${this.tag}-${n}`;
    if (this.rng.chance(this.opts.retryShare)) {
      this.retries.push({ key, body, notBefore: Date.now() + this.rng.int(0, RETRY_DELAY_MAX_MS) });
      this.idempotency.set(key, new Set());
    }
    ctx.kind = "book";
    ctx.key = key;
    return this.post(req, key, body);
  }

  /** A cancellation of a confirmed booking, or null when there is none to cancel. */
  cancel(req: autocannon.Request, ctx: Ctx): autocannon.Request | null {
    const id = this.confirmed.length ? this.confirmed.splice(this.rng.int(0, this.confirmed.length - 1), 1)[0] : null;
    if (id === undefined || id === null) return null;
    ctx.kind = "cancel";
    delete ctx.key;
    return { ...req, method: "PUT", path: `/api/bookings/${id}/cancel`, headers: {}, body: "" };
  }

  /** Records what an answer said; `ctx` is the one the request was set up with. */
  answer(status: number, body: string, ctx: Ctx, headers: Record<string, unknown> | undefined): void {
    let parsed: { booking_id?: number; status?: string; error?: string } = {};
    try {
      parsed = JSON.parse(body);
    } catch {
      // Not JSON: counted by status code below.
    }
    const kind = ctx.kind ?? "book";
    if (ctx.key && this.idempotency.has(ctx.key) && typeof parsed.booking_id === "number") {
      this.idempotency.get(ctx.key)?.add(parsed.booking_id);
    }
    const replayed = Object.entries(headers ?? {}).some(
      ([name, value]) => name.toLowerCase() === "idempotent-replayed" && String(value) === "true",
    );
    // e.g. "booking confirmed", "booking failed: not_enough_seats", "retry confirmed (replayed)"
    let what = parsed.status ?? parsed.error ?? String(status);
    if (parsed.status && parsed.error) what += `: ${parsed.error}`;
    this.count(`${kind === "book" ? "booking" : kind} ${what}${replayed ? " (replayed)" : ""}`);
    if (this.opts.collectConfirmed && kind === "book" && parsed.status === "confirmed" && parsed.booking_id) {
      this.confirmed.push(parsed.booking_id);
    }
  }

  private post(req: autocannon.Request, key: string, body: string): autocannon.Request {
    return {
      ...req,
      method: "POST",
      path: "/api/bookings",
      headers: { "content-type": "application/json", "idempotency-key": key },
      body,
    };
  }
}
