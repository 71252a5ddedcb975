/** One leg's times, in ms since the epoch. */
export interface LegTimes {
  flightId: number;
  departure: number;
  arrival: number;
}

/**
 * Whether some connection of an itinerary (legs in order) is now shorter than the minimum
 * connection time: the next leg leaves less than `minMinutes` after the previous one lands.
 */
export function connectionBroken(legs: LegTimes[], minMinutes: number): boolean {
  for (let i = 1; i < legs.length; i++) {
    const prev = legs[i - 1] as LegTimes;
    const cur = legs[i] as LegTimes;
    if (cur.departure - prev.arrival < minMinutes * 60_000) return true;
  }
  return false;
}
