// Tiers by the miles earned on flown legs in one calendar year (UTC); adjustments and refunds
// do not count, redemptions do not take a tier away.
export const TIERS = ["basic", "silver", "gold"] as const;
export type Tier = (typeof TIERS)[number];

export const SILVER_MILES = 25_000;
export const GOLD_MILES = 50_000;

export function tierFor(flownMilesThisYear: number): Tier {
  if (flownMilesThisYear >= GOLD_MILES) return "gold";
  if (flownMilesThisYear >= SILVER_MILES) return "silver";
  return "basic";
}
