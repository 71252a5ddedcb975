import type { Account } from "../accounts.js";
import type { InvariantResult } from "../report/types.js";
import type { Services } from "../services.js";
import { first, result } from "./observations.js";
import type { ScopeBooking } from "./reads.js";

// After the booking scenarios: no customer reads, lists or cancels another customer's booking.
// The harness tries, as another customer, on some of the scenario's bookings; every try must be
// refused (404 or 403) and the booking must stay as it was.

export interface CrossUserTry {
  what: string;
  status: number;
}

export interface CrossUserObservations {
  /** A booking was readable without any token: the API is open (AUTH_MODE=off). */
  open: boolean;
  tries: CrossUserTry[];
  /** Bookings whose status changed across the tries, "id: before → after". */
  changed: string[];
}

const TRIED_BOOKINGS = 10;
const REFUSED = new Set([403, 404]);

/** Tries other customers' bookings (GET, cancel, list) unless the API turns out to be open. */
export async function tryCrossUser(
  services: Services,
  customers: readonly Account[],
  bookings: readonly ScopeBooking[],
  statusOf: (ids: number[]) => Promise<Map<number, string>>,
): Promise<CrossUserObservations | null> {
  const sample = bookings.slice(0, TRIED_BOOKINGS);
  if (customers.length < 2 || sample.length === 0) return null;
  const ids = sample.map((b) => b.id);
  const probe = await services.booking.call("GET", `/api/bookings/${ids[0]}`);
  if (probe.status === 200) return { open: true, tries: [], changed: [] };
  const before = await statusOf(ids);
  const tries: CrossUserTry[] = [];
  for (const b of sample) {
    const other = customers.find((c) => c.userId !== b.user_id);
    if (!other) continue;
    const as = { authorization: other.authorization };
    const read = await services.booking.call("GET", `/api/bookings/${b.id}`, undefined, as);
    tries.push({ what: `GET booking ${b.id} as user ${other.userId}`, status: read.status });
    const cancel = await services.booking.call("PUT", `/api/bookings/${b.id}/cancel`, undefined, as);
    tries.push({ what: `cancel booking ${b.id} as user ${other.userId}`, status: cancel.status });
    const list = await services.booking.call("GET", `/api/bookings?user_id=${b.user_id}`, undefined, as);
    tries.push({ what: `list user ${b.user_id}'s bookings as user ${other.userId}`, status: list.status });
  }
  const after = await statusOf(ids);
  const changed = ids
    .filter((id) => before.get(id) !== after.get(id))
    .map((id) => `booking ${id}: ${before.get(id)} → ${after.get(id)}`);
  return { open: false, tries, changed };
}

export function noCrossUserAccess(o: CrossUserObservations): InvariantResult {
  const name = "no user reads or cancels another's booking";
  if (o.open) {
    return {
      ...result(name, true, "not applicable: the API is open (AUTH_MODE=off), a booking reads without a token"),
      notApplicable: true,
    };
  }
  const bad = [
    ...o.tries.filter((t) => !REFUSED.has(t.status)).map((t) => `${t.what} answered ${t.status}`),
    ...o.changed,
  ];
  const detail = `${o.tries.length} tries on other users' bookings (read, cancel, list), all refused (404/403), nothing changed`;
  return result(name, bad.length === 0 && o.tries.length > 0, bad.length ? first(bad) : detail);
}
