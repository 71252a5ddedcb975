import type { PaymentRecord, PaymentRequest, ProcessResult } from "./payment-client.js";

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
  /** Gives a charge back in full, once; null when there is nothing to give back. */
  refund(paymentId: string): Promise<{ refundId: string } | null>;
  /**
   * Gives back `amount` (money units) of a charge under `key`, once: a retry answers the first.
   * null when the part is worth nothing in the method's units (less than a mile). A part larger
   * than what the charge has left is an error: the change saga plans parts from what is left.
   */
  refundPart(paymentId: string, amount: number, key: string): Promise<{ refundId: string } | null>;
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
