import type { Flight } from "../../contracts/flight-svc/flights.js";
import type { ConfirmRefusal, HoldPlaced, HoldRefusal, HoldReleased } from "../../contracts/flight-svc/holds.js";
import type { Failure } from "../saga/machine.js";
import type { Upstream } from "./http.js";

/** Prices per seat, one per leg in order, as flight-svc charges them at the time of the hold. */
export type HoldResult = { held: true; expiresAt: string; prices: number[] } | { held: false; failure: Failure };

export interface HoldOptions {
  /** The travel date: flight-svc refuses the hold when the first leg departs on another day. */
  date?: string;
  /** How the client named the flights, so that a refusal points at its own field. */
  field?: "flight_id" | "flight_ids";
}

/**
 * flight-svc as booking-svc uses it (contracts/flight-svc/). Every call here is idempotent (reads,
 * and holds under the booking's own hold_id), so connection failures are retried; anything without
 * a usable answer throws UpstreamError and the saga treats the outcome as unknown.
 */
export class FlightClient {
  constructor(private readonly up: Upstream) {}

  /** The flights in the order given; null for one that does not exist. */
  getFlights(ids: number[]): Promise<(Flight | null)[]> {
    return Promise.all(ids.map((id) => this.getFlight(id)));
  }

  async getFlight(id: number): Promise<Flight | null> {
    const path = `/api/flights/${id}`;
    const reply = await this.up.call<Flight>("GET", path, { retries: 2 });
    if (reply.status === 200) return reply.body;
    if (reply.status === 404) return null;
    throw this.up.refusal(reply) ?? this.up.unexpected("GET", path, reply);
  }

  /** Holds every leg or none; a new booking's hold also checks its date and prices its legs. */
  async hold(
    holdId: string,
    flightIds: number[],
    seats: number,
    ttlSeconds: number,
    opts: HoldOptions = {},
  ): Promise<HoldResult> {
    const path = "/api/flights/holds";
    const reply = await this.up.call<HoldPlaced | HoldRefusal>("POST", path, {
      body: { flight_ids: flightIds, seats, ttl_seconds: ttlSeconds, hold_id: holdId, date: opts.date },
      retries: 2,
    });
    if (reply.status === 200 || reply.status === 201) {
      const placed = reply.body as HoldPlaced;
      // A flight-svc older than the price in its answer prices nothing: the booking then fails as unpayable.
      const prices = flightIds.map((id) => placed.legs?.find((l) => l.flight_id === id)?.price ?? 0);
      return { held: true, expiresAt: String(placed.expires_at), prices };
    }
    const b = reply.body as HoldRefusal;
    if (reply.status === 400 && b.field === "date" && typeof b.flight_id === "number") {
      return { held: false, failure: { error: "validation_error", message: b.message, field: "date" } };
    }
    if (reply.status === 409 && b.error === "not_enough_seats") {
      const left = typeof b.available_seats === "number" ? ` (${b.available_seats} left)` : "";
      const message = `Not enough seats on flight ${b.flight_id ?? flightIds[0]}${left}.`;
      return { held: false, failure: { error: "not_enough_seats", message } };
    }
    if (reply.status === 409 && b.error === "flight_cancelled") {
      return { held: false, failure: { error: "flight_cancelled", message: `Flight ${b.flight_id} is cancelled.` } };
    }
    if (reply.status === 404 && b.error === "flight_not_found") {
      const message = `Flight ${b.flight_id} does not exist.`;
      const at = flightIds.indexOf(b.flight_id ?? -1);
      const field =
        opts.field === "flight_id" ? "flight_id" : opts.field && at >= 0 ? `flight_ids[${at}]` : "flight_ids";
      return { held: false, failure: { error: "validation_error", message, field } };
    }
    const refused = this.up.refusal(reply);
    if (refused) {
      return { held: false, failure: { error: "validation_error", message: refused.message, field: refused.field } };
    }
    throw this.up.unexpected("POST", path, reply);
  }

  /**
   * "confirmed", or what ended the hold instead: it expired, was released, never existed, or
   * PostgreSQL refused it (a cancelled flight); flight-svc has given its seats back then.
   */
  async confirm(holdId: string): Promise<"confirmed" | "gone" | "flight_cancelled"> {
    const path = `/api/flights/holds/${holdId}/confirm`;
    const reply = await this.up.call<ConfirmRefusal>("POST", path, { retries: 2 });
    if (reply.status === 200) return "confirmed";
    if (reply.status === 409 && reply.body.error === "flight_cancelled") return "flight_cancelled";
    if (reply.status === 404 || reply.status === 409) return "gone";
    throw this.up.unexpected("POST", path, reply);
  }

  /**
   * Gives a hold's seats back: a live hold is released, a confirmed one cancelled (flight-svc
   * does either exactly once). `found` is false when flight-svc knows no such hold.
   */
  async release(holdId: string): Promise<{ found: boolean; seatsReturned: boolean; status: string }> {
    const path = `/api/flights/holds/${holdId}`;
    const reply = await this.up.call<HoldReleased>("DELETE", path, { retries: 2 });
    if (reply.status === 200) {
      return { found: true, seatsReturned: reply.body.seats_returned === true, status: String(reply.body.status) };
    }
    if (reply.status === 404) return { found: false, seatsReturned: false, status: "not_found" };
    throw this.up.unexpected("DELETE", path, reply);
  }
}
