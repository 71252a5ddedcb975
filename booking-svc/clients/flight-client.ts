import type { Flight } from "../../contracts/flight-svc/flights.js";
import {
  type ConfirmBatchResults,
  type ConfirmRefusal,
  type HandOverRefusal,
  type HoldBatchResults,
  type HoldHandedOver,
  type HoldPlaced,
  type HoldRefusal,
  type HoldReleased,
  type HoldRequest,
  MAX_HOLD_BATCH,
} from "../../contracts/flight-svc/holds.js";
import type { Reply, Upstream } from "../../lib/upstream.js";
import type { Failure } from "../saga/machine.js";
import { TurnBatch } from "./turn-batch.js";

/** Prices per seat, one per leg in order, as flight-svc charges them at the time of the hold. */
export type HoldResult =
  | { held: true; expiresAt: string; prices: number[] }
  | { held: false; failure: Failure; prices?: number[] };

export interface HoldOptions {
  /** The travel date: flight-svc refuses the hold when the first leg departs on another day. */
  date?: string;
  /** How the client named the flights, so that a refusal points at its own field. */
  field?: "flight_id" | "flight_ids";
}

const HOLDS = "/api/flights/holds";
const confirmPath = (holdId: string) => `${HOLDS}/${holdId}/confirm`;

/**
 * flight-svc as booking-svc uses it (contracts/flight-svc/). Every call here is idempotent (reads,
 * and holds under the booking's own hold_id), so connection failures are retried; anything without
 * a usable answer throws UpstreamError and the saga treats the outcome as unknown. Holds and
 * confirms asked for in the same event-loop turn go as one batch call (turn-batch.ts).
 */
export class FlightClient {
  private readonly holds: TurnBatch<HoldRequest>;
  private readonly confirms: TurnBatch<string>;

  constructor(private readonly up: Upstream) {
    this.holds = new TurnBatch({
      one: (hold) => up.call("POST", HOLDS, { body: hold, retries: 2 }),
      many: (holds) =>
        this.batch<HoldBatchResults>(
          `${HOLDS}/batch`,
          {
            items: holds.map((h) => ({ hold: h.item, request_id: h.requestId })),
          },
          holds.length,
        ),
      max: MAX_HOLD_BATCH,
    });
    this.confirms = new TurnBatch({
      one: (holdId) => up.call("POST", confirmPath(holdId), { retries: 2 }),
      many: (ids) =>
        this.batch<ConfirmBatchResults>(
          `${HOLDS}/batch-confirm`,
          {
            items: ids.map((c) => ({ hold_id: c.item, request_id: c.requestId })),
          },
          ids.length,
        ),
      max: MAX_HOLD_BATCH,
    });
  }

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
    const body = { flight_ids: flightIds, seats, ttl_seconds: ttlSeconds, hold_id: holdId, date: opts.date };
    const reply = (await this.holds.send(body)) as Reply<HoldPlaced | HoldRefusal>;
    if (reply.status === 200 || reply.status === 201) {
      const placed = reply.body as HoldPlaced;
      // A flight-svc older than the price in its answer prices nothing: the booking then fails as unpayable.
      const prices = flightIds.map((id) => placed.legs?.find((l) => l.flight_id === id)?.price ?? 0);
      return { held: true, expiresAt: String(placed.expires_at), prices };
    }
    const b = reply.body as HoldRefusal;
    // A flight-svc older than the fares in its refusals gives none: the refused booking then shows 0.
    const prices = b.legs && flightIds.map((id) => b.legs?.find((l) => l.flight_id === id)?.price ?? 0);
    if (reply.status === 400 && b.field === "date" && typeof b.flight_id === "number") {
      return { held: false, failure: { error: "validation_error", message: b.message, field: "date" }, prices };
    }
    if (reply.status === 409 && b.error === "not_enough_seats") {
      const left = typeof b.available_seats === "number" ? ` (${b.available_seats} left)` : "";
      const message = `Not enough seats on flight ${b.flight_id ?? flightIds[0]}${left}.`;
      return { held: false, failure: { error: "not_enough_seats", message }, prices };
    }
    if (reply.status === 409 && b.error === "flight_cancelled") {
      const message = `Flight ${b.flight_id} is cancelled.`;
      return { held: false, failure: { error: "flight_cancelled", message }, prices };
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
    throw this.up.unexpected("POST", HOLDS, reply);
  }

  /**
   * A turn's holds or confirms in one call (flight-svc's batch endpoints), each answered as alone.
   * A flight-svc without the endpoint (404) or refusing the batch as a whole (400) gets them one
   * by one; any other answer to the whole (a 5xx, a 401) is what each would have had. Every item
   * is idempotent (a hold under its booking's id, a confirm), so the call is retried as theirs are.
   */
  private async batch<R extends { results: Reply<unknown>[] }>(
    path: string,
    body: unknown,
    count: number,
  ): Promise<Reply<unknown>[] | null> {
    const reply = await this.up.call<R>("POST", path, { body, retries: 2 });
    if (reply.status === 200 && Array.isArray(reply.body.results)) return reply.body.results;
    if (reply.status === 400 || reply.status === 404) return null;
    return Array.from({ length: count }, () => reply);
  }

  /**
   * "confirmed", or what ended the hold instead: it expired, was released, never existed, or
   * PostgreSQL refused it (a cancelled flight); flight-svc has given its seats back then.
   */
  async confirm(holdId: string): Promise<"confirmed" | "gone" | "flight_cancelled"> {
    const reply = (await this.confirms.send(holdId)) as Reply<ConfirmRefusal>;
    if (reply.status === 200) return "confirmed";
    if (reply.status === 409 && reply.body.error === "flight_cancelled") return "flight_cancelled";
    if (reply.status === 404 || reply.status === 409) return "gone";
    throw this.up.unexpected("POST", confirmPath(holdId), reply);
  }

  /**
   * Makes `flightIds` of the confirmed hold `holdId` the hold `toHoldId`'s, their seats still
   * booked (a change that keeps them); repeated, the same answer. A refusal throws: the legs are
   * the booking's own, so flight-svc refusing means the books disagree.
   */
  async handOver(holdId: string, toHoldId: string, flightIds: number[]): Promise<void> {
    const path = `${HOLDS}/${holdId}/hand-over`;
    const body = { to_hold_id: toHoldId, flight_ids: flightIds };
    const reply = await this.up.call<HoldHandedOver | HandOverRefusal>("POST", path, { body, retries: 2 });
    if (reply.status !== 200) throw this.up.unexpected("POST", path, reply);
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
