import { bookingRef } from "../../contracts/flight-svc/booking-ref.js";
import type { Flight } from "../../contracts/flight-svc/flights.js";
import { isSeat } from "../../contracts/flight-svc/seat-layout.js";
import type { SeatAssignment } from "../../contracts/flight-svc/seats.js";
import { AppError, validationError } from "../../lib/errors.js";
import { UpstreamError, UpstreamRefusal, upstreamFailure } from "../../lib/upstream.js";
import type { FlightClient } from "../clients/flight-client.js";
import type { SeatClient } from "../clients/seat-client.js";
import type { BookingWithLegs } from "../store/bookings-repo.js";
import type { CheckInsRepo } from "../store/check-ins-repo.js";
import { type BoardingPass, boardingPassId, idBeforeRefs, signPass, verifyBarcode } from "./boarding-pass.js";
import type { PassKeys } from "./pass-key.js";
import { type CheckinWindow, type WindowState, windowState, windowTimes } from "./window.js";

/** Where a leg stands for check-in: its window, or its flight cancelled. */
type LegState = WindowState | "flight_cancelled";

/** Boarding starts this long before departure (printed on the pass). */
const BOARDING_MINUTES = 30;

export interface SeatRequest {
  passenger?: string;
  passenger_number?: number;
  flight_id: number;
  seat: string;
}

export type PassCheck =
  | { valid: true; boarding_pass: BoardingPass }
  | { valid: false; reason: "malformed" | "bad_signature" | "not_current" };

/** The names a booking's passengers go by: as booked, or "Passenger 1"… when none were given. */
export function passengerNames(b: BookingWithLegs): string[] {
  if (b.passengers.length > 0) return b.passengers.map((p) => p.name);
  return Array.from({ length: b.seats }, (_, i) => `Passenger ${i + 1}`);
}

/**
 * Check-in and boarding passes. Seats live in flight-svc (one passenger per seat, assigned ≤
 * confirmed, freed when the seats are given back); this side checks the window and the request,
 * and turns seats into signed passes, so a pass is always derived from the seats as they are.
 */
export class CheckIn {
  constructor(
    private readonly flights: FlightClient,
    private readonly seats: SeatClient,
    private readonly keys: PassKeys,
    private readonly window: CheckinWindow,
    private readonly runs: CheckInsRepo,
    private readonly booking: (id: number) => Promise<BookingWithLegs | null>,
  ) {}

  get publicKey() {
    return this.keys.publicKey;
  }

  checkIn(b: BookingWithLegs, requested: SeatRequest[], now = new Date()): Promise<BoardingPass[]> {
    return flightSvcAnswers(() => this.ordered(b, requested, now));
  }

  /**
   * A check-in and the start of a change of the booking are ordered (CheckInsRepo): marked running
   * before any change starts, the check-in seats the booking's legs as they are then (read again:
   * a change may have ended since `b` was read), and a change waits for it to end; marked after,
   * it is refused. A check-in is never seated on legs a change is giving back.
   */
  private async ordered(b: BookingWithLegs, requested: SeatRequest[], now: Date): Promise<BoardingPass[]> {
    refuseState(b);
    const run = await this.runs.begin(b.id);
    if (run === null) throw await this.startedSince(b);
    let current = b;
    let passes: BoardingPass[];
    let kept = false;
    try {
      current = (await this.booking(b.id)) ?? b;
      passes = await this.assign(current, requested, now);
    } finally {
      kept = await this.runs.end(
        run,
        b.id,
        current.legs.map((l) => l.flight_id),
      );
    }
    if (!kept) throw await this.startedSince(b);
    return passes;
  }

  /** The refusal of a check-in that a change or a cancellation of the booking started alongside. */
  private async startedSince(b: BookingWithLegs): Promise<AppError> {
    return stateRefusal((await this.booking(b.id)) ?? b) ?? changeInProgress(b.id);
  }

  private async assign(b: BookingWithLegs, requested: SeatRequest[], now: Date): Promise<BoardingPass[]> {
    refuseState(b);
    const flights = await this.legFlights(b);
    const names = passengerNames(b);
    const wanted = this.checkRequest(b, requested, names, flights);
    const legs = this.legsInWindow(b, flights, wanted, now).map((leg) => ({
      flight_id: leg.id,
      passengers: names.map((_, i) => {
        const seat = wanted.get(`${leg.id}:${i}`);
        return seat === undefined ? { passenger: i } : { passenger: i, seat };
      }),
    }));
    try {
      // One call for every leg: flight-svc seats them all or none, so a leg refused leaves no
      // seat taken on the others.
      await this.seats.assign({ booking_id: b.id, ...holdNonceOf(b), legs });
    } catch (err) {
      // flight-svc refuses a seat its cabin lacks: total_seats was cut after `flights` was
      // read. Checked against the flights as they are now, the request names the seat.
      if (err instanceof UpstreamRefusal) this.checkRequest(b, requested, names, await this.legFlights(b));
      throw err;
    }
    return this.passes(b, flights);
  }

  /** The booking's passes as its seats are now: none before check-in or once cancelled. */
  async boardingPasses(b: BookingWithLegs): Promise<BoardingPass[]> {
    if (b.status !== "confirmed") return [];
    return flightSvcAnswers(async () => this.passes(b, await this.legFlights(b)));
  }

  /**
   * Offline check of the barcode, then whether its seat still stands (`current` reads the booking).
   * A delay re-times the pass, and so its barcode, but leaves the seat: the pass issued before
   * still stands, and the answer is the pass as it is now, with the new times.
   */
  async verify(barcode: string, current: (bookingId: number) => Promise<BookingWithLegs | null>): Promise<PassCheck> {
    const verdict = verifyBarcode(barcode, this.keys.publicKey);
    if (!verdict.valid) return verdict;
    const issued = verdict.pass;
    const b = await current(issued.booking_id);
    const passes = b ? await this.boardingPasses(b) : [];
    const same = passes.find(
      (p) =>
        (p.boarding_pass_id === issued.id || idBeforeRefs(p.boarding_pass_id) === issued.id) &&
        p.seat === issued.seat &&
        p.sequence === issued.sequence,
    );
    return same ? { valid: true, boarding_pass: same } : { valid: false, reason: "not_current" };
  }

  private async legFlights(b: BookingWithLegs): Promise<Flight[]> {
    const found = await this.flights.getFlights(b.legs.map((l) => l.flight_id));
    return found.map((f, i) => {
      if (!f) throw new AppError("flight_not_found", undefined, { flight_id: b.legs[i]?.flight_id });
      return f;
    });
  }

  /** Requested seats keyed "<flight>:<passenger index>"; 400 naming the field at fault. */
  private checkRequest(
    b: BookingWithLegs,
    requested: SeatRequest[],
    names: string[],
    flights: Flight[],
  ): Map<string, string> {
    const wanted = new Map<string, string>();
    const seatsTaken = new Set<string>();
    for (const [i, r] of requested.entries()) {
      const at = `seats[${i}]`;
      const flight = flights.find((f) => f.id === r.flight_id);
      if (!flight) throw refused(`${at}.flight_id`, `is ${r.flight_id}, which is not a flight of booking ${b.id}`);
      const { field, index } = passengerOf(b, r, at, names);
      if (!isSeat(r.seat, flight.total_seats)) {
        throw refused(`${at}.seat`, `is ${r.seat}, which does not exist on flight ${flight.id}`);
      }
      const key = `${flight.id}:${index}`;
      if (wanted.has(key))
        throw refused(field, `names a passenger whose seat on flight ${flight.id} is asked for already`);
      if (seatsTaken.has(`${flight.id}:${r.seat}`)) {
        throw refused(`${at}.seat`, `is ${r.seat}, which is asked for twice on flight ${flight.id}`);
      }
      seatsTaken.add(`${flight.id}:${r.seat}`);
      wanted.set(key, r.seat);
    }
    return wanted;
  }

  /**
   * The legs this check-in covers: those named in the request, each of which must be in its
   * window; without seats asked for, every leg in its window now. None: 409 with the reason of
   * the next leg still to fly (checkin_not_open, or flight_cancelled), or checkin_closed when all
   * have closed. A booking can outlive its flight's cancellation (flown on an earlier leg, or not
   * yet reached by the disruption handler), and a cancelled flight boards nobody: it gets no pass.
   */
  private legsInWindow(b: BookingWithLegs, flights: Flight[], wanted: Map<string, string>, now: Date): Flight[] {
    const named = new Set([...wanted.keys()].map((k) => Number(k.split(":")[0])));
    const refuse = (f: Flight, code: Exclude<LegState, "open">) => {
      if (code === "flight_cancelled") {
        return new AppError(code, `Flight ${f.flight_number} is cancelled.`, { booking_id: b.id, flight_id: f.id });
      }
      const { opens, closes } = windowTimes(new Date(f.departure_time), this.window);
      const message =
        code === "checkin_not_open"
          ? `Check-in for flight ${f.flight_number} opens at ${opens}.`
          : `Check-in for flight ${f.flight_number} closed at ${closes}.`;
      return new AppError(code, message, { booking_id: b.id, flight_id: f.id, opens_at: opens, closes_at: closes });
    };
    const states = flights.map((f) => ({
      f,
      state: (f.status === "cancelled"
        ? "flight_cancelled"
        : windowState(new Date(f.departure_time), now, this.window)) as LegState,
    }));
    if (named.size > 0) {
      for (const { f, state } of states) if (named.has(f.id) && state !== "open") throw refuse(f, state);
      return flights.filter((f) => named.has(f.id));
    }
    const open = states.filter((s) => s.state === "open").map((s) => s.f);
    if (open.length > 0) return open;
    const next = states.find((s) => s.state !== "checkin_closed");
    const last = states[states.length - 1] as { f: Flight };
    throw next ? refuse(next.f, next.state as Exclude<LegState, "open">) : refuse(last.f, "checkin_closed");
  }

  private async passes(b: BookingWithLegs, flights: Flight[]): Promise<BoardingPass[]> {
    const names = passengerNames(b);
    const seats = await Promise.all(flights.map((f) => this.seats.ofBooking(f.id, b.id, b.holdNonce)));
    return flights.flatMap((f, i) => (seats[i] as SeatAssignment[]).map((a) => this.pass(b, f, a, names)));
  }

  private pass(b: BookingWithLegs, f: Flight, a: SeatAssignment, names: string[]): BoardingPass {
    const departure = new Date(f.departure_time);
    return signPass(
      {
        id: boardingPassId(bookingRef(b.id, b.holdNonce), f.id, a.passenger),
        booking_id: b.id,
        flight_id: f.id,
        flight_number: f.flight_number,
        passenger: names[a.passenger] ?? `Passenger ${a.passenger + 1}`,
        seat: a.seat,
        sequence: a.sequence,
        departure_time: departure.toISOString(),
        boarding_time: new Date(departure.getTime() - BOARDING_MINUTES * 60_000).toISOString(),
      },
      this.keys.privateKey,
    );
  }
}

/**
 * flight-svc keeps seats by the booking's ref (contracts/flight-svc/booking-ref.ts): with the nonce,
 * a booking given an old booking's id (bookings_db restored or reset) never gets that one's seats.
 */
const holdNonceOf = (b: BookingWithLegs) => (b.holdNonce === null ? {} : { hold_nonce: b.holdNonce });

/** Only a confirmed booking that no change or cancellation is moving is checked in. */
function refuseState(b: BookingWithLegs): void {
  const refusal = stateRefusal(b);
  if (refusal) throw refusal;
}

/** Why the booking as it stands cannot be checked in; null when it can. */
function stateRefusal(b: BookingWithLegs): AppError | null {
  if (b.status !== "confirmed") {
    return new AppError("conflict", `Booking ${b.id} is ${b.status}: only a confirmed booking can be checked in.`, {
      booking_id: b.id,
    });
  }
  // A cancellation gives the seats back, and a change the old legs' once it has confirmed the new
  // ones: seats taken now would be boarding passes for flights the booking is leaving.
  if (b.step !== "done") {
    return new AppError("conflict", `Booking ${b.id} is being cancelled: it can no longer be checked in.`, {
      booking_id: b.id,
    });
  }
  return b.changing === null ? null : changeInProgress(b.id);
}

const changeInProgress = (id: number) =>
  new AppError("change_in_progress", "The booking is being changed; check in once the change has ended.", {
    booking_id: id,
  });

/** A 400 whose message starts with the field it names, as the schema's refusals do. */
const refused = (field: string, why: string) => validationError(field, `${field} ${why}`);

/**
 * Which passenger a seat request names (their index from 0), and by which field. A name is
 * matched as booked; a name two passengers share names neither (the request gives the number),
 * and is never quoted back, as names are not shown beyond the boarding passes.
 */
function passengerOf(
  b: BookingWithLegs,
  r: SeatRequest,
  at: string,
  names: string[],
): { field: string; index: number } {
  const byNumber = `${at}.passenger_number`;
  const byName = `${at}.passenger`;
  if (r.passenger !== undefined && r.passenger_number !== undefined) {
    throw refused(byNumber, `and ${byName} both name a passenger: give one of them`);
  }
  if (r.passenger_number !== undefined) {
    if (r.passenger_number > names.length) {
      throw refused(byNumber, `is ${r.passenger_number}, but booking ${b.id} has ${names.length} passengers`);
    }
    return { field: byNumber, index: r.passenger_number - 1 };
  }
  if (r.passenger === undefined) {
    throw refused(byName, "is required: the name as booked, or passenger_number for the passenger's place (from 1)");
  }
  const matches = names.flatMap((n, j) => (n === r.passenger ? [j] : []));
  if (matches.length === 0) throw refused(byName, `is not a passenger of booking ${b.id}`);
  if (matches.length > 1) {
    throw refused(
      byName,
      `names ${matches.length} passengers of booking ${b.id}: give passenger_number (their place, from 1) instead`,
    );
  }
  return { field: byName, index: matches[0] as number };
}

/**
 * Seats live in flight-svc: without a usable answer (down, slower than FLIGHT_TIMEOUT_MS, a 5xx,
 * or no service token from user-svc to call it with) nothing is known to have changed, which is
 * a 503 naming the service at fault that the client may retry (check-in is idempotent), not a 500.
 */
async function flightSvcAnswers<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!(err instanceof UpstreamError)) throw err;
    throw new AppError("service_unavailable", `${upstreamFailure(err)}; try again (a repeated check-in is safe).`);
  }
}
