import type { EngineResult } from "./engine.js";
import type { Itinerary, SortBy } from "./itinerary.js";

/** The engine's best itineraries per sort for one route and date, before seats are checked. */
export interface CandidateSet {
  complete: boolean;
  lists: Record<SortBy, Itinerary[]>;
}

/** Seats free now per flight id, in the order asked (null: no such flight). One round trip. */
export type AvailabilityReader = (flightIds: number[]) => Promise<(number | null)[]>;

/** Runs the engine for one sort with some flights (by slot) left out. */
export type Recompute = (sort: SortBy, excludedSlots: Set<number>, candidates: number) => EngineResult;

export interface SelectRequest {
  set: CandidateSet;
  sort: SortBy;
  seats: number;
  limit: number;
  read: AvailabilityReader;
  recompute: Recompute;
}

export interface Selection {
  itineraries: Itinerary[];
  /** Seats free per flight id, for every leg of the selected itineraries. */
  available: Map<number, number>;
  /** Engine runs needed because the cached candidates ran out (0 almost always). */
  recomputed: number;
}

/**
 * The best `limit` itineraries whose every leg has `seats` free. The candidates are the best N
 * of all valid itineraries, so the first `limit` of them that pass are the exact answer; only
 * when too few pass and the set was cut at N does the engine run again without the flights
 * found short of seats (each pass excludes at least one more flight, so it ends).
 */
export async function selectItineraries(req: SelectRequest): Promise<Selection> {
  const { seats, limit, read } = req;
  const available = new Map<number, number>();
  const passes = (it: Itinerary) => it.legs.every((f) => (available.get(f.id) ?? 0) >= seats);
  const learn = async (list: Itinerary[]) => {
    const ids = new Set<number>();
    for (const it of list) for (const f of it.legs) if (!available.has(f.id)) ids.add(f.id);
    if (ids.size === 0) return;
    const asked = [...ids];
    const values = await read(asked);
    asked.forEach((id, i) => {
      available.set(id, values[i] ?? 0);
    });
  };

  let list = req.set.lists[req.sort];
  const picked: Itinerary[] = [];
  // Seats of the first limit-and-a-quarter candidates in one read, which nearly always
  // suffices; the rest in a second read only when too many of those are short of seats.
  const firstChunk = Math.min(list.length, limit + Math.ceil(limit / 4));
  for (const [start, end] of [
    [0, firstChunk],
    [firstChunk, list.length],
  ] as const) {
    if (picked.length >= limit || start >= end) break;
    const chunk = list.slice(start, end);
    await learn(chunk);
    for (const it of chunk) if (picked.length < limit && passes(it)) picked.push(it);
  }
  let complete = req.set.complete;
  let candidates = Math.max(list.length, limit) * 2;
  let recomputed = 0;
  const excluded = new Set<number>();
  while (picked.length < limit && !complete) {
    for (const it of list) for (const f of it.legs) if ((available.get(f.id) ?? seats) < seats) excluded.add(f.slot);
    const result = req.recompute(req.sort, excluded, candidates);
    recomputed++;
    list = result.lists[req.sort] ?? [];
    await learn(list);
    picked.length = 0;
    for (const it of list) if (picked.length < limit && passes(it)) picked.push(it);
    complete = result.complete;
    candidates *= 2;
  }
  return { itineraries: picked, available, recomputed };
}
