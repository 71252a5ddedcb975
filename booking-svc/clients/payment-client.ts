import pLimit, { type LimitFunction } from "p-limit";
import type {
  PaymentRecord as PaymentReply,
  ProcessReply,
  RefundReply,
} from "../../contracts/payment-mock/payments.js";
import { type Reply, type Upstream, UpstreamError } from "../../lib/upstream.js";
import { type PaymentMethod, type RefundOutcome, refusalText } from "./payment-method.js";

export interface PaymentRequest {
  bookingId: number;
  userId: number;
  amount: number;
  paymentType: string;
  /** booking-<id>-<nonce>: a retry, by the request or by the sweeper, never charges twice. */
  key: string;
}

export type ProcessResult =
  | { kind: "success"; paymentId: string }
  | { kind: "declined"; paymentId: string | null; message: string }
  /** The miles ledger refused the debit: the account has too few miles; nothing was taken. */
  | { kind: "insufficient"; message: string }
  /** payment-mock refused the charge as invalid (400): nothing was charged. */
  | { kind: "refused"; message: string; field: string | undefined }
  /** payment-mock answered 408: it has finished with the call, a lookup tells what it did. */
  | { kind: "timeout_answered" }
  /** No answer (deadline, network, 5xx): payment-mock may still charge. */
  | { kind: "unknown"; reason: string };

export interface PaymentRecord {
  paymentId: string;
  status: string;
  amount: number;
  refundedAmount: number;
}

/** payment-mock as booking-svc uses it (contracts/payment-mock/); concurrent charges bounded with p-limit. */
export class PaymentClient implements PaymentMethod {
  private readonly limit: LimitFunction;

  constructor(
    private readonly up: Upstream,
    concurrency: number,
  ) {
    this.limit = pLimit(concurrency);
  }

  process(req: PaymentRequest): Promise<ProcessResult> {
    return this.limit(async () => {
      let reply: Awaited<ReturnType<Upstream["call"]>>;
      try {
        // The key makes the call idempotent, so a refused connection may be retried.
        reply = await this.up.call<ProcessReply>("POST", "/api/payments/process", {
          body: { booking_id: req.bookingId, amount: req.amount, user_id: req.userId, payment_type: req.paymentType },
          headers: { "idempotency-key": req.key },
          retries: 1,
        });
      } catch (err) {
        if (err instanceof UpstreamError) return { kind: "unknown", reason: err.message };
        throw err;
      }
      const b = reply.body as Partial<ProcessReply>;
      if (reply.status === 200 && b.status === "success" && b.payment_id) {
        return { kind: "success", paymentId: b.payment_id };
      }
      if (reply.status === 200 && b.status === "failed") {
        const why = b.decline_code ? ` (${b.decline_code})` : "";
        return { kind: "declined", paymentId: b.payment_id ?? null, message: `The payment was declined${why}.` };
      }
      if (reply.status === 408) return { kind: "timeout_answered" };
      const refused = this.up.refusal(reply);
      if (refused) return { kind: "refused", message: refused.message, field: refused.field };
      return { kind: "unknown", reason: `payment-mock answered ${reply.status}` };
    });
  }

  /** The payment made under `key`, or null if payment-mock recorded none. */
  async lookup(key: string): Promise<PaymentRecord | null> {
    const path = `/api/payments/by-key/${encodeURIComponent(key)}`;
    const reply = await this.up.call<Partial<PaymentReply>>("GET", path, { retries: 2 });
    if (reply.status === 404) return null;
    const b = reply.body;
    if (reply.status !== 200 || !b.payment_id) throw this.up.unexpected("GET", path, reply);
    return {
      paymentId: b.payment_id,
      status: String(b.status),
      amount: Number(b.amount),
      refundedAmount: Number(b.refunded_amount ?? 0),
    };
  }

  /**
   * Refunds a payment in full; payment-mock answers a repeated full refund with the first
   * result, and one whose part refunds (a cheaper change's, a cancelled leg's) took all of it
   * with 409 payment_refunded: nothing is owed then. Another 404 or 409 (a payment it lost to a
   * restart, a reset or its LRU, or one that never succeeded) is final.
   */
  async refund(paymentId: string): Promise<RefundOutcome> {
    const path = "/api/payments/refund";
    const reply = await this.up.call<RefundReply>("POST", path, { body: { payment_id: paymentId }, retries: 2 });
    if (reply.status === 200) return { kind: "refunded", refundId: String(reply.body.refund_id) };
    if (reply.status === 409 && (reply.body as { error?: unknown } | null)?.error === "payment_refunded") {
      return { kind: "nothing" };
    }
    const refused = this.refused(reply, paymentId);
    if (refused) return refused;
    throw this.up.unexpected("POST", path, reply);
  }

  /**
   * Refunds `amount` of a payment under `key`: payment-mock answers a repeat with the first
   * refund, so a retried part is never refunded twice. The part was planned from what the
   * payment has left, so a 404 or 409 means payment-mock lost the payment (a restart, a reset,
   * its LRU) or was refunded by someone else: final either way.
   */
  async refundPart(paymentId: string, amount: number, key: string): Promise<RefundOutcome> {
    const path = "/api/payments/refund";
    const reply = await this.up.call<RefundReply>("POST", path, {
      body: { payment_id: paymentId, amount },
      headers: { "idempotency-key": key },
      retries: 2,
    });
    if (reply.status === 200) return { kind: "refunded", refundId: String(reply.body.refund_id) };
    const refused = this.refused(reply, paymentId);
    if (refused) return refused;
    throw this.up.unexpected("POST", path, reply);
  }

  /** payment-mock's final no to a refund: 404 it does not know the payment, 409 it has nothing (or less) left. */
  private refused(reply: Reply<unknown>, paymentId: string): RefundOutcome | null {
    if (reply.status === 404) {
      return { kind: "refused", reason: `the payment provider does not know payment ${paymentId}` };
    }
    if (reply.status === 409) {
      return { kind: "refused", reason: `the payment provider refused it (${refusalText(reply.body)})` };
    }
    return null;
  }
}
