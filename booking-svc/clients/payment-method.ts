import type { PaymentRecord, PaymentRequest, ProcessResult } from "./payment-client.js";

/**
 * What a refund did. `refused`: the provider said no for good (it does not know the payment, or
 * it has less left than asked), so no retry can make it; `reason` says why, as a clause for a
 * traveller ("the payment provider does not know payment pay_…").
 */
export type RefundOutcome =
  | { kind: "refunded"; refundId: string }
  | { kind: "nothing" }
  | { kind: "refused"; reason: string };

/** The provider's own sentence in a refusal, without its full stop, to quote inside another. */
export function refusalText(body: unknown): string {
  const message = (body as { message?: unknown } | null)?.message;
  return typeof message === "string" ? message.replace(/\.$/, "") : "no reason given";
}

/**
 * How a booking (or a change's difference) is paid: money through payment-mock or miles through
 * user-svc. The saga's pay, lookup and refund steps call whichever the booking's payment_type
 * names, with the same outcomes, so its decisions and recovery are the same for both.
 */
export interface PaymentMethod {
  /** Charges once per `req.key`: a retry answers the first charge. */
  process(req: PaymentRequest): Promise<ProcessResult>;
  /** The charge made under `key`, or null if none was made. */
  lookup(key: string): Promise<PaymentRecord | null>;
  /**
   * Gives back what is left of a charge, once (a repeat answers the first refund); `nothing`
   * when nothing is left; `refused` when the provider no longer knows the charge.
   */
  refund(paymentId: string): Promise<RefundOutcome>;
  /**
   * Gives back `amount` (money units) of a charge under `key`, once: a retry answers the first.
   * `nothing` when the part is worth nothing in the method's units (less than a mile); `refused`
   * when the provider no longer knows the charge or has less of it left than the part.
   */
  refundPart(paymentId: string, amount: number, key: string): Promise<RefundOutcome>;
}

export const MILES = "miles";

/** The method for a payment type: miles for "miles", money for every other. */
export class PaymentMethods {
  constructor(
    private readonly money: PaymentMethod,
    private readonly miles: PaymentMethod,
  ) {}

  for(paymentType: string): PaymentMethod {
    return paymentType === MILES ? this.miles : this.money;
  }
}
