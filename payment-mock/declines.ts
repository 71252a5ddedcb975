import type { PaymentType } from "./types.js";

// Decline reasons a real provider gives, by payment method: a UPI payment is never declined
// for a wrong CVC.
const MESSAGES = {
  insufficient_funds: "Insufficient funds in the account.",
  card_declined: "The card was declined by the issuing bank.",
  expired_card: "The card has expired.",
  incorrect_cvc: "The card's security code is incorrect.",
  do_not_honor: "The issuing bank declined the payment without giving a reason.",
  upi_pin_incorrect: "The UPI PIN entered was incorrect.",
  transaction_limit_exceeded: "The amount exceeds the account's transaction limit.",
  authentication_failed: "The bank could not authenticate the customer.",
  bank_unavailable: "The customer's bank is temporarily unavailable.",
} as const;

export type DeclineCode = keyof typeof MESSAGES;

const BY_TYPE: Record<PaymentType, readonly DeclineCode[]> = {
  credit_card: ["insufficient_funds", "card_declined", "expired_card", "incorrect_cvc", "do_not_honor"],
  debit_card: ["insufficient_funds", "card_declined", "expired_card", "incorrect_cvc", "do_not_honor"],
  upi: ["insufficient_funds", "upi_pin_incorrect", "transaction_limit_exceeded", "bank_unavailable"],
  net_banking: ["insufficient_funds", "authentication_failed", "transaction_limit_exceeded", "bank_unavailable"],
};

/** A decline reason for `type`, chosen by `r` in [0, 1). */
export function pickDecline(type: PaymentType, r: number): DeclineCode {
  const codes = BY_TYPE[type];
  return codes[Math.min(codes.length - 1, Math.floor(r * codes.length))] as DeclineCode;
}

export function declineMessage(code: DeclineCode): string {
  return MESSAGES[code];
}

export function declineCodes(type: PaymentType): readonly DeclineCode[] {
  return BY_TYPE[type];
}
