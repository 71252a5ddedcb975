import type { Test } from "tap";
import type { Account } from "./auth.js";
import type { FlightSeed } from "./flight-svc.js";
import { lockFlightRow, waitForLockWaiter } from "./pg-lock.js";
import type { Reply, System } from "./system.js";

// Flights within their check-in window and the bookings checked in on them, for check-in tests.

/** A flight that departs `hours` from now (default 3: check-in is open). */
export function departingIn(hours: number, seed: FlightSeed = {}): FlightSeed {
  return { ...seed, departure: new Date(Date.now() + hours * 3_600_000).toISOString() };
}

/** Books `seats` on `flightIds` (departing on the first one's date) for `who`; the booking's id. */
export async function bookFor(
  sys: System,
  who: Account,
  flightIds: number[],
  seats = 1,
  passengers?: string[],
): Promise<number> {
  const [first] = await sys.flightsSql<{ date: string }[]>`
    SELECT to_char(departure_time AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date FROM flights WHERE id = ${flightIds[0] as number}`;
  const body: Record<string, unknown> = { flight_ids: flightIds, seats, date: first?.date };
  if (passengers) body.passengers = passengers.map((name, i) => ({ name, email: `p${i}@example.com` }));
  const made = await sys.bookingCall("POST", "/api/bookings", body, who.headers);
  if (made.status !== 200 || made.body.status !== "confirmed") {
    throw new Error(`booking for ${who.userId}: ${made.status} ${JSON.stringify(made.body)}`);
  }
  return made.body.booking_id as number;
}

/** The taken seats of a flight's seat map, as flight-svc answers it. */
export async function takenSeats(sys: System, flightId: number): Promise<string[]> {
  const map = await sys.flightCall("GET", `/api/flights/${flightId}/seatmap`);
  return map.body.rows.flatMap((r: { seats: { seat: string; status: string }[] }) =>
    r.seats.filter((s) => s.status === "taken").map((s) => s.seat),
  );
}

/** seat_assignments of a flight in PostgreSQL, seat → "<booking id>:<passenger>". */
export async function assignedInPostgres(sys: System, flightId: number): Promise<Record<string, string>> {
  const rows = await sys.flightsSql<{ seat: string; owner: string }[]>`
    SELECT seat, split_part(booking_ref, '-', 1) || ':' || passenger AS owner FROM seat_assignments WHERE flight_id = ${flightId}`;
  return Object.fromEntries(rows.map((r) => [r.seat, r.owner]));
}

/** A check-in under way: it has read the booking and waits in flight-svc for its flight's row. */
export interface HeldCheckIn {
  answer: Promise<Reply>;
  /** Whether the check-in has answered yet. */
  answered(): boolean;
  /** Lets flight-svc go on (idempotent; also done when the test ends). */
  release(): Promise<void>;
}

/** Starts `who`'s check-in of the booking and holds it in flight-svc on `flightId`'s row lock. */
export async function heldCheckIn(
  t: Test,
  sys: System,
  who: Account,
  bookingId: number,
  flightId: number,
): Promise<HeldCheckIn> {
  const lock = await lockFlightRow(sys.flightConfig.flightsDatabaseUrl, flightId);
  t.teardown(() => lock.release());
  let answered = false;
  const answer = sys.bookingCall("POST", `/api/bookings/${bookingId}/check-in`, {}, who.headers).finally(() => {
    answered = true;
  });
  await waitForLockWaiter(sys.flightsSql);
  return { answer, answered: () => answered, release: () => lock.release() };
}

/** The flight of each boarding pass a check-in answered, in order. */
export const passFlights = (answer: Reply): number[] =>
  answer.body.boarding_passes.map((p: { flight_id: number }) => p.flight_id);
