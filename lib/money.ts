// Money arrives as JSON numbers with at most two decimals; everything inside works in integer
// cents so that sums over a whole stress run stay exact.

/** The largest single charge or refund accepted (currency units): a booking's total must fit. */
export const MAX_AMOUNT = 10_000_000;

/** The largest price of one seat on one flight. */
export const MAX_PRICE = 1_000_000;

/** Cents for an amount, or null when it has more than two decimals. */
export function toCents(amount: number): number | null {
  const cents = Math.round(amount * 100);
  // JSON "12.34" and 1234 / 100 are both the double nearest to 12.34, so this is exact.
  return cents / 100 === amount ? cents : null;
}

export function fromCents(cents: number): number {
  return cents / 100;
}
