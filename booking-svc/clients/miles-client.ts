import type { Static } from "@sinclair/typebox";
import {
  type DebitRefusal,
  type EarnBatchResults,
  type EarnBody,
  type EntryReply,
  MAX_EARN_BATCH,
} from "../../contracts/user-svc/loyalty.js";
import { type Upstream, UpstreamError, type UpstreamRefusal } from "../../lib/upstream.js";
import type { UnearnedLeg } from "../flown/flown-repo.js";
import type { PaymentRecord, PaymentRequest, ProcessResult } from "./payment-client.js";
import { type PaymentMethod, type RefundOutcome, refusalText } from "./payment-method.js";

/** A debit's payment id: the ledger entry's id, so that a refund names the entry it gives back. */
const PREFIX = "miles-";
const paymentIdOf = (entryId: number) => `${PREFIX}${entryId}`;

// Exact in integers: amount in cents × MILES_PER_UNIT in ten-thousandths, so that 0.1 × 3 never
// becomes 0.30000000000000004 and rounds to a mile more or less.
const scaled = (amount: number, milesPerUnit: number) => Math.round(amount * 100) * Math.round(milesPerUnit * 10_000);
const SCALE = 1_000_000;

/** Miles debited for an amount of money: every started mile is taken (rounded up). */
export function milesFor(amount: number, milesPerUnit: number): number {
  return Math.ceil(scaled(amount, milesPerUnit) / SCALE);
}

/**
 * Miles a part refund gives back for an amount of money: only whole miles (rounded down). The
 * parts of one debit then never add up to more than it took, since floor(a) + floor(b) ≤
 * floor(a + b) ≤ ceil(a + b); the fractions kept back are not lost: cancelling gives back what
 * is left of each debit, so a booking's miles all come back when it is cancelled.
 */
export function milesBackFor(amount: number, milesPerUnit: number): number {
  return Math.floor(scaled(amount, milesPerUnit) / SCALE);
}

/** A flown leg user-svc did not earn, and why. */
export interface RefusedLeg {
  leg: UnearnedLeg;
  reason: string;
}

const earnBody = (leg: UnearnedLeg): Static<typeof EarnBody> => ({
  user_id: leg.userId,
  booking_id: leg.bookingId,
  flight_id: leg.flightId,
  miles: leg.miles,
  ...(leg.bookingNonce === null ? {} : { booking_nonce: leg.bookingNonce }),
  ...(leg.departedAt === null ? {} : { flown_at: leg.departedAt.toISOString() }),
});

/** user-svc's loyalty ledger as a payment method (contracts/user-svc/loyalty.ts). */
export class MilesClient implements PaymentMethod {
  constructor(
    private readonly up: Upstream,
    private readonly milesPerUnit: number,
  ) {}

  async process(req: PaymentRequest): Promise<ProcessResult> {
    const miles = milesFor(req.amount, this.milesPerUnit);
    let reply: Awaited<ReturnType<Upstream["call"]>>;
    try {
      // The key makes the debit idempotent, so a refused connection may be retried.
      reply = await this.up.call<EntryReply>("POST", "/api/loyalty/debit", {
        body: { user_id: req.userId, booking_id: req.bookingId, key: req.key, miles },
        retries: 1,
      });
    } catch (err) {
      if (err instanceof UpstreamError) return { kind: "unknown", reason: err.message };
      throw err;
    }
    if (reply.status === 200) return { kind: "success", paymentId: paymentIdOf((reply.body as EntryReply).entry.id) };
    if (reply.status === 402) {
      const b = reply.body as Static<typeof DebitRefusal>;
      return { kind: "insufficient", message: b.message };
    }
    const refused = this.up.refusal(reply);
    if (refused) return { kind: "refused", message: refused.message, field: refused.field };
    return { kind: "unknown", reason: `user-svc answered ${reply.status}` };
  }

  /**
   * Flown legs' miles, one call per MAX_EARN_BATCH legs; user-svc keeps one entry per booking and
   * flight whatever the retries, and counts them for the tier of the year the leg departed in.
   * `earned` is told of the legs acknowledged as they are; the legs refused (a 400 of their own)
   * are answered, and the others are not held back by them. A user-svc older than the batch
   * route (404), or one refusing a batch whole (400), is asked leg by leg instead. Throws
   * UpstreamError when user-svc gives no usable answer: what `earned` was told of stands.
   */
  async earnAll(legs: UnearnedLeg[], earned: (legs: UnearnedLeg[]) => void): Promise<RefusedLeg[]> {
    const refused: RefusedLeg[] = [];
    for (let i = 0; i < legs.length; i += MAX_EARN_BATCH) {
      const part = legs.slice(i, i + MAX_EARN_BATCH);
      const path = "/api/loyalty/earn/batch";
      const reply = await this.up.call<EarnBatchResults>("POST", path, {
        body: { items: part.map(earnBody) },
        retries: 2,
      });
      if (reply.status === 404 || reply.status === 400) {
        for (const leg of part) {
          const refusal = await this.earn(leg);
          if (refusal) refused.push({ leg, reason: refusal.message });
          else earned([leg]);
        }
        continue;
      }
      if (reply.status !== 200) throw this.up.unexpected("POST", path, reply);
      const done: UnearnedLeg[] = [];
      part.forEach((leg, j) => {
        const r = reply.body.results[j];
        if (r?.status === 200) done.push(leg);
        else refused.push({ leg, reason: r ? `${r.status} ${refusalText(r.body)}` : "no result" });
      });
      earned(done);
    }
    return refused;
  }

  /** One leg's miles by the single route: its refusal (a 400), or null once earned. */
  private async earn(leg: UnearnedLeg): Promise<UpstreamRefusal | null> {
    const path = "/api/loyalty/earn";
    const reply = await this.up.call("POST", path, { body: earnBody(leg), retries: 2 });
    if (reply.status === 200) return null;
    const refused = this.up.refusal(reply);
    if (refused) return refused;
    throw this.up.unexpected("POST", path, reply);
  }

  async lookup(key: string): Promise<PaymentRecord | null> {
    const path = `/api/loyalty/debits/${encodeURIComponent(key)}`;
    const reply = await this.up.call<EntryReply>("GET", path, { retries: 2 });
    if (reply.status === 404) return null;
    if (reply.status !== 200) throw this.up.unexpected("GET", path, reply);
    const { entry } = reply.body;
    return { paymentId: paymentIdOf(entry.id), status: "success", amount: -entry.miles, refundedAmount: 0 };
  }

  /**
   * The ledger answers 404 once part refunds (a cheaper change's) have given a debit back in
   * full: nothing is left, which is no refusal. It keeps every entry, so it never forgets one.
   */
  async refund(paymentId: string): Promise<RefundOutcome> {
    if (!paymentId.startsWith(PREFIX)) return { kind: "nothing" };
    const path = `/api/loyalty/entries/${encodeURIComponent(paymentId.slice(PREFIX.length))}/refund`;
    const reply = await this.up.call<EntryReply>("POST", path, { retries: 2 });
    if (reply.status === 200) return { kind: "refunded", refundId: paymentIdOf(reply.body.entry.id) };
    if (reply.status === 404) return { kind: "nothing" };
    throw this.up.unexpected("POST", path, reply);
  }

  async refundPart(paymentId: string, amount: number, key: string): Promise<RefundOutcome> {
    const miles = milesBackFor(amount, this.milesPerUnit);
    if (miles === 0) return { kind: "nothing" };
    const path = `/api/loyalty/entries/${encodeURIComponent(this.entryOf(paymentId))}/refunds`;
    const reply = await this.up.call<EntryReply>("POST", path, { body: { key, miles }, retries: 2 });
    if (reply.status === 200) return { kind: "refunded", refundId: paymentIdOf(reply.body.entry.id) };
    // The ledger keeps every entry, so only miles given back some other way (a 409) or an entry
    // that is no redemption (a 404) refuse a part: neither changes on a retry.
    if (reply.status === 404 || reply.status === 409) {
      return { kind: "refused", reason: `the loyalty ledger refused it (${refusalText(reply.body)})` };
    }
    throw this.up.unexpected("POST", path, reply);
  }

  private entryOf(paymentId: string): string {
    if (!paymentId.startsWith(PREFIX)) throw new Error(`miles: ${paymentId} is not a miles payment`);
    return paymentId.slice(PREFIX.length);
  }
}
