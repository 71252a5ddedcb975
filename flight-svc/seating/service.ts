import { bookingRefOfHold } from "../../contracts/flight-svc/booking-ref.js";
import { isSeat, seatLabels, seatRows } from "../../contracts/flight-svc/seat-layout.js";
import type { SeatAssignment, SeatAssignmentRequest, SeatMap } from "../../contracts/flight-svc/seats.js";
import { AppError, validationError } from "../../lib/errors.js";
import type { RedisClient } from "../../lib/redis-plugin.js";
import { LuaCode } from "../inventory/codes.js";
import { keys } from "../inventory/keys.js";
import {
  CabinChanged,
  type LegPlan,
  PassengerRace,
  type PlannedSeat,
  type SeatedFlight,
  SeatHeld,
  type SeatsRepo,
} from "./repo.js";

// A claim in Redis that PostgreSQL has not seen after this long was left by a crash between the
// two: a passenger who asks for that seat gets it back from the claim.
export const STALE_CLAIM_MS = 10_000;
const ATTEMPTS = 8;
const DEADLOCK = "40P01";

const owner = (ref: string, passenger: number) => `${ref}:${passenger}`;
/** The owner of a seat map value, "<booking ref>:<passenger>:<claimed at, ms>". */
export const ownerOf = (held: string) => held.split(":").slice(0, 2).join(":");

type Want = SeatAssignmentRequest["passengers"][number];

/** A leg of a check-in; `at` prefixes the fields its refusals name ("legs[1]."). */
export interface Leg {
  flightId: number;
  wants: Want[];
  at?: string;
}

/**
 * Check-in seats: PostgreSQL's seat_assignments is the truth (one passenger per seat, assigned ≤
 * confirmed); each flight's seat map in Redis is claimed first (lua/seat-claim.lua), which
 * refuses a taken seat without PostgreSQL and keeps the seat map current. The map may show a
 * seat taken that PostgreSQL does not (a crash between the claim and the commit, repaired when
 * someone asks for it or by reconcile), never the reverse for long: a seat PostgreSQL refuses
 * is written back into the map.
 */
export class SeatAssignmentsService {
  constructor(
    private readonly redis: RedisClient,
    private readonly repo: SeatsRepo,
  ) {}

  async seatMap(flightId: number): Promise<SeatMap> {
    const flight = await this.flight(flightId);
    const taken = await this.takenSeats(flightId);
    let free = 0;
    const rows = seatRows(flight.totalSeats).map((r) => ({
      row: r.row,
      seats: r.seats.map((seat) => {
        const status = taken.has(seat) ? ("taken" as const) : ("free" as const);
        if (status === "free") free++;
        return { seat, status };
      }),
    }));
    return {
      flight_id: flight.id,
      flight_number: flight.flightNumber,
      total_seats: flight.totalSeats,
      free_seats: free,
      rows,
    };
  }

  async ofBooking(flightId: number, ref: string): Promise<SeatAssignment[]> {
    await this.flight(flightId);
    return this.repo.ofBooking(flightId, ref);
  }

  async assign(flightId: number, ref: string, wants: Want[]): Promise<SeatAssignment[]> {
    const [seats] = await this.assignLegs(ref, [{ flightId, wants }]);
    return seats ?? [];
  }

  /**
   * A booking's seats on several flights, every leg or none: each leg's seats claimed in its seat
   * map, then written in one PostgreSQL transaction. A leg refused or failing gives back what the
   * others claimed, and PostgreSQL keeps none of it. The booking's seats on each leg, in order.
   */
  async assignLegs(ref: string, legs: Leg[]): Promise<SeatAssignment[][]> {
    const flights = new Map<number, SeatedFlight>();
    for (const [i, leg] of legs.entries()) {
      if (flights.has(leg.flightId)) throw validationError(`legs[${i}].flight_id`, "names a flight twice");
      const flight = await this.flight(leg.flightId);
      checkWants(leg.wants, flight, leg.at);
      flights.set(flight.id, flight);
    }
    const legOf = (flightId: number) => legs.find((l) => l.flightId === flightId) as Leg;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const claims: LegPlan[] = [];
      const plans: LegPlan[] = [];
      for (const leg of legs) {
        const current = new Map((await this.repo.ofBooking(leg.flightId, ref)).map((a) => [a.passenger, a.seat]));
        const plan = await this.plan(flights.get(leg.flightId) as SeatedFlight, ref, leg, current, attempt);
        plans.push({ flightId: leg.flightId, plan });
        claims.push({ flightId: leg.flightId, plan: plan.filter((p) => current.get(p.passenger) !== p.seat) });
      }
      if (!(await this.claimLegs(flights, ref, claims, legs))) continue;
      try {
        return await this.repo.assign(ref, plans, (flightId, written) =>
          this.redis.invSeatSettle(
            keys.seatMap(flightId),
            Date.now(),
            ...written.flatMap((a) => [owner(ref, a.passenger), a.seat]),
          ),
        );
      } catch (err) {
        // Our claims go, and what PostgreSQL holds of those seats (a concurrent repeat of this
        // very request may have committed them) goes back into the map.
        await this.giveBack(ref, claims);
        if (err instanceof SeatHeld) {
          const holder = await this.restoreHolder(err.flightId, err.seat);
          const ours = holder?.booking_ref === ref;
          if (!ours && legOf(err.flightId).wants.some((w) => w.seat === err.seat)) {
            throw seatTaken(err.flightId, err.seat);
          }
          continue;
        }
        if (err instanceof CabinChanged) {
          // total_seats was cut after this request read it: a seat asked for may be gone.
          const flight = { ...(flights.get(err.flightId) as SeatedFlight), totalSeats: err.totalSeats };
          flights.set(flight.id, flight);
          checkWants(legOf(flight.id).wants, flight, legOf(flight.id).at);
          continue;
        }
        if (err instanceof PassengerRace || (err as { code?: string }).code === DEADLOCK) continue;
        throw err;
      }
    }
    const [first] = legs;
    throw new AppError("conflict", "The seat map kept changing; try again.", { flight_id: first?.flightId });
  }

  /**
   * After a seat operation's seats were given back in PostgreSQL (which dropped the booking's
   * passengers beyond what stays confirmed, inventory/ledger.ts): the seat maps drop them too.
   */
  async afterReturn(opId: string, legs: number[]): Promise<void> {
    const ref = bookingRefOfHold(opId);
    if (ref === null) return;
    for (const [flightId, seats] of await this.repo.keptSeats(ref, legs)) {
      await this.redis.invSeatRelease(keys.seatMap(flightId), ref, seats);
    }
  }

  private async flight(flightId: number): Promise<SeatedFlight> {
    const flight = await this.repo.flight(flightId);
    if (!flight) throw new AppError("flight_not_found", `Flight ${flightId} was not found.`, { flight_id: flightId });
    return flight;
  }

  /** The seat map's taken seats, loading it from PostgreSQL first when Redis has none. */
  private async takenSeats(flightId: number): Promise<Map<string, string>> {
    for (let i = 0; i < 2; i++) {
      const flat = await this.redis.hgetall(keys.seatMap(flightId));
      if (flat._ !== undefined) {
        delete flat._;
        return new Map(Object.entries(flat));
      }
      await this.load(flightId);
    }
    throw new AppError("service_unavailable", "The seat map could not be loaded; try again.");
  }

  private async load(flightId: number): Promise<void> {
    const rows = await this.repo.ofFlight(flightId);
    const pairs = rows.flatMap((r) => [r.seat, `${owner(r.booking_ref, r.passenger)}:${Math.trunc(r.at)}`]);
    await this.redis.invSeatLoad(keys.seatMap(flightId), ...pairs);
  }

  /**
   * Each passenger's seat: asked for, kept, claimed in the map under their own name, or the first
   * free one front to back. After a lost race the free seats are tried from a random place, so
   * that racing check-ins spread out.
   */
  private async plan(
    flight: SeatedFlight,
    ref: string,
    { wants, at = "" }: Leg,
    current: Map<number, string>,
    attempt: number,
  ): Promise<PlannedSeat[]> {
    const needFree = wants.some((w) => w.seat === undefined && !current.has(w.passenger));
    const taken = needFree ? await this.takenSeats(flight.id) : new Map<string, string>();
    const planned = new Set(wants.flatMap((w) => (w.seat ? [w.seat] : [])));
    const free = needFree ? seatLabels(flight.totalSeats).filter((s) => !taken.has(s) && !planned.has(s)) : [];
    if (attempt > 0) free.push(...free.splice(0, Math.floor(Math.random() * free.length)));
    // A claim under the passenger's own name is a repeat of this request's (still running, or
    // dead before its commit): the seat is theirs. Picking another would leave that claim taking
    // a seat nobody sits in, and on a full flight leave no seat to pick at all.
    const claimed = new Map<string, string>();
    for (const [seat, held] of taken) if (!planned.has(seat)) claimed.set(ownerOf(held), seat);
    return wants.map((w, i) => {
      const seat = w.seat ?? current.get(w.passenger) ?? claimed.get(owner(ref, w.passenger)) ?? free.shift();
      if (seat === undefined) {
        throw new AppError("not_enough_seats", `No free seat is left on flight ${flight.id}.`, {
          flight_id: flight.id,
        });
      }
      return { passenger: w.passenger, seat, field: `${at}passengers[${i}].seat`, asked: w.seat !== undefined };
    });
  }

  /**
   * Claims every leg's seats; true when all are claimed. A leg that cannot be claimed (false: try
   * again, or a refusal thrown) gives back what the legs before it claimed.
   */
  private async claimLegs(
    flights: Map<number, SeatedFlight>,
    ref: string,
    claims: LegPlan[],
    legs: Leg[],
  ): Promise<boolean> {
    const claimed: LegPlan[] = [];
    try {
      for (const [i, c] of claims.entries()) {
        const flight = flights.get(c.flightId) as SeatedFlight;
        if (c.plan.length > 0 && !(await this.claim(flight, ref, c.plan, legs[i]?.wants ?? []))) break;
        claimed.push(c);
      }
    } finally {
      if (claimed.length < claims.length) await this.giveBack(ref, claimed);
    }
    return claimed.length === claims.length;
  }

  /** Each leg's claims go, and PostgreSQL's holder of each of those seats goes back into the map. */
  private async giveBack(ref: string, claims: LegPlan[]): Promise<void> {
    for (const c of claims) {
      await this.unclaim(c.flightId, ref, c.plan);
      for (const p of c.plan) await this.restoreHolder(c.flightId, p.seat);
    }
  }

  /** true: every seat claimed; false: try again (map loaded, a picked seat went, a stale claim cleared). */
  private async claim(flight: SeatedFlight, ref: string, claims: PlannedSeat[], wants: Want[]): Promise<boolean> {
    const map = keys.seatMap(flight.id);
    const pairs = claims.flatMap((p) => [p.seat, owner(ref, p.passenger)]);
    const [code, seat, held] = (await this.redis.invSeatClaim(map, Date.now(), ...pairs)) as [number, string, string];
    if (code === LuaCode.OK) return true;
    if (code === LuaCode.SEAT_MAP_MISSING) {
      await this.load(flight.id);
      return false;
    }
    if (code !== LuaCode.SEAT_TAKEN) throw new AppError("internal_error", `unexpected seat script code ${code}`);
    const claimedAt = Number(held.split(":")[2]);
    if (Date.now() - claimedAt > STALE_CLAIM_MS && !(await this.repo.holderOf(flight.id, seat))) {
      await this.redis.invSeatUnclaim(map, seat, held);
      return false;
    }
    if (wants.some((w) => w.seat === seat)) throw seatTaken(flight.id, seat);
    return false;
  }

  private async unclaim(flightId: number, ref: string, claims: PlannedSeat[]): Promise<void> {
    if (claims.length === 0) return;
    await this.redis.invSeatUnclaim(
      keys.seatMap(flightId),
      ...claims.flatMap((p) => [p.seat, owner(ref, p.passenger)]),
    );
  }

  /** PostgreSQL's holder of a seat goes back into the map (it was missing there); the holder. */
  private async restoreHolder(flightId: number, seat: string): Promise<{ booking_ref: string } | null> {
    const holder = seat ? await this.repo.holderOf(flightId, seat) : null;
    // Claimed at 0: whoever meets it asks PostgreSQL before treating it as stale.
    if (holder) {
      await this.redis.hsetnx(keys.seatMap(flightId), seat, `${owner(holder.booking_ref, holder.passenger)}:0`);
    }
    return holder;
  }
}

const seatTaken = (flightId: number, seat: string) =>
  new AppError("seat_taken", `Seat ${seat} on flight ${flightId} is taken.`, { flight_id: flightId, seat });

function checkWants(wants: Want[], flight: SeatedFlight, at = ""): void {
  const passengers = new Set<number>();
  const seats = new Set<string>();
  for (const [i, w] of wants.entries()) {
    if (passengers.has(w.passenger))
      throw validationError(`${at}passengers[${i}].passenger`, "names a passenger twice");
    passengers.add(w.passenger);
    if (w.seat === undefined) continue;
    if (!isSeat(w.seat, flight.totalSeats)) {
      throw validationError(`${at}passengers[${i}].seat`, `seat ${w.seat} does not exist on flight ${flight.id}`);
    }
    if (seats.has(w.seat)) throw validationError(`${at}passengers[${i}].seat`, `seat ${w.seat} is asked for twice`);
    seats.add(w.seat);
  }
}
