import type { Flight } from "../../contracts/flight-svc/flights.js";

// A flight id is one dated departure, so a change keeps a leg exactly when the new legs name the
// same flight id: that leg's seats stay the booking's, and only the other legs are held and given back.

/** The booking's legs against a change's: kept (in both), added (new only), dropped (old only). */
export interface LegSplit {
  kept: number[];
  added: number[];
  dropped: number[];
}

export function splitLegs(from: number[], to: number[]): LegSplit {
  return {
    kept: to.filter((id) => from.includes(id)),
    added: to.filter((id) => !from.includes(id)),
    dropped: from.filter((id) => !to.includes(id)),
  };
}

/** The new legs as the change may take them: on a kept leg the booking's own seats count as free. */
export function withOwnSeats(flights: (Flight | null)[], kept: number[], seats: number): (Flight | null)[] {
  return flights.map((f) => (f && kept.includes(f.id) ? { ...f, available_seats: f.available_seats + seats } : f));
}
