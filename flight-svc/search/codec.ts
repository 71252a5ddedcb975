import type { FlightRecord } from "./flight-record.js";
import { COMPARATORS, type Itinerary, itineraryOf } from "./itinerary.js";
import type { ScheduleIndex } from "./schedule-index.js";
import type { CandidateSet } from "./select.js";

// The Redis form of a candidate set: flight ids only, since every instance holds the flights.
// A complete set is stored once (both orders are derived from it), a cut one per sort.
interface Stored {
  complete: boolean;
  cheapest: number[][];
  fastest?: number[][];
}

const ids = (list: Itinerary[]) => list.map((it) => it.legs.map((f) => f.id));

export function encodeCandidates(set: CandidateSet): string {
  const stored: Stored = { complete: set.complete, cheapest: ids(set.lists.cheapest) };
  if (!set.complete) stored.fastest = ids(set.lists.fastest);
  return JSON.stringify(stored);
}

/**
 * The set back as itineraries of this instance's flights; null when a flight is unknown here
 * or no longer listed (this instance's timetable differs: compute instead of trusting it).
 */
export function decodeCandidates(text: string, index: ScheduleIndex): CandidateSet | null {
  const stored = JSON.parse(text) as Stored;
  const toItineraries = (lists: number[][]): Itinerary[] | null => {
    const out: Itinerary[] = [];
    for (const legIds of lists) {
      const legs: FlightRecord[] = [];
      for (const id of legIds) {
        const f = index.flight(id);
        if (!f || f.status === "cancelled") return null;
        legs.push(f);
      }
      out.push(itineraryOf(legs));
    }
    return out;
  };
  const cheapest = toItineraries(stored.cheapest);
  if (!cheapest) return null;
  if (stored.complete) {
    return { complete: true, lists: { cheapest, fastest: [...cheapest].sort(COMPARATORS.fastest) } };
  }
  const fastest = toItineraries(stored.fastest ?? []);
  return fastest ? { complete: false, lists: { cheapest, fastest } } : null;
}
