import type autocannon from "autocannon";
import type { Account } from "../accounts.js";
import type { Rng } from "../rng.js";

// Booking requests, each one different (customer and their token, itinerary, seats,
// Idempotency-Key), and what their answers said. Optionally a share of bookings is sent again with the same key and body
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
  /** Drawn for each booking; credit_card when not given. */
  paymentTypes?: readonly string[];
}

interface Retry {
  key: string;
  body: string;
  account: Account;
  notBefore: number;
}

// The account a booking was made for: its answer names no user, and its cancellation needs the
// same customer's token.
type Ctx = { kind?: "book" | "retry" | "cancel"; key?: string; account?: Account };

/** What the answers said about each booking they named: booking id → its status as last answered. */
export type Answered = Map<number, string>;

const RETRY_DELAY_MAX_MS = 400;

const authorized = (a: Account): Record<string, string> => (a.authorization ? { authorization: a.authorization } : {});

export class BookingTraffic {
  readonly outcomes: Record<string, number> = {};
  /** Idempotency-Key → booking ids named by its answers, for keys sent more than once. */
  readonly idempotency = new Map<string, Set<number>>();
  readonly answered: Answered = new Map();
  private readonly retries: Retry[] = [];
  private readonly confirmed: { id: number; account: Account }[] = [];
  private n = 0;

  constructor(
    private readonly rng: Rng,
    private readonly customers: readonly Account[],
    private readonly itineraries: Itinerary[],
    private readonly tag: number,
    private readonly opts: BookingTrafficOptions,
  ) {
    if (itineraries.length === 0) throw new Error("booking traffic needs at least one itinerary");
    if (customers.length === 0) throw new Error("booking traffic needs at least one customer");
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
      ctx.account = due.account;
      return this.post(req, due.key, due.body, due.account);
    }
    const n = this.n++;
    const it = this.rng.pick(this.itineraries);
    const account = this.customers[n % this.customers.length] as Account;
    const body = JSON.stringify({
      user_id: account.userId,
      ...(it.flightIds.length === 1 ? { flight_id: it.flightIds[0] } : { flight_ids: it.flightIds }),
      seats: this.rng.int(1, this.opts.maxSeats),
      date: it.date,
      payment_type: this.opts.paymentTypes ? this.rng.pick(this.opts.paymentTypes) : "credit_card",
    });
    const key = `stress-${this.tag}-${n}`;
    if (this.rng.chance(this.opts.retryShare)) {
      this.retries.push({ key, body, account, notBefore: Date.now() + this.rng.int(0, RETRY_DELAY_MAX_MS) });
      this.idempotency.set(key, new Set());
    }
    ctx.kind = "book";
    ctx.key = key;
    ctx.account = account;
    return this.post(req, key, body, account);
  }

  /** A cancellation of a confirmed booking, or null when there is none to cancel. */
  cancel(req: autocannon.Request, ctx: Ctx): autocannon.Request | null {
    const pick = this.confirmed.length
      ? this.confirmed.splice(this.rng.int(0, this.confirmed.length - 1), 1)[0]
      : undefined;
    if (!pick) return null;
    ctx.kind = "cancel";
    delete ctx.key;
    ctx.account = pick.account;
    const headers = authorized(pick.account);
    return { ...req, method: "PUT", path: `/api/bookings/${pick.id}/cancel`, headers, body: "" };
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
    if (typeof parsed.booking_id === "number" && parsed.status) this.answered.set(parsed.booking_id, parsed.status);
    if (
      this.opts.collectConfirmed &&
      kind === "book" &&
      parsed.status === "confirmed" &&
      parsed.booking_id &&
      ctx.account
    ) {
      this.confirmed.push({ id: parsed.booking_id, account: ctx.account });
    }
  }

  private post(req: autocannon.Request, key: string, body: string, account: Account): autocannon.Request {
    return {
      ...req,
      method: "POST",
      path: "/api/bookings",
      headers: { "content-type": "application/json", "idempotency-key": key, ...authorized(account) },
      body,
    };
  }
}
