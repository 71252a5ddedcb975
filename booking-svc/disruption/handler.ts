import type { FastifyBaseLogger } from "fastify";
import type { FlightEventBody } from "../../contracts/events/stream.js";
import { mapLimit } from "../../lib/map-limit.js";
import type { FlightClient } from "../clients/flight-client.js";
import type { SagaExecutor } from "../saga/executor.js";
import type { BookingsRepo, BookingWithLegs } from "../store/bookings-repo.js";
import { connectionBroken, type LegTimes } from "./connections.js";
import type { LegRefunds } from "./leg-refunds.js";
import { atRiskDedupeId, type BookingNotices, cancelledDedupeId } from "./notices.js";

export interface DisruptionOptions {
  minConnectionMinutes: number;
  /** How long a cancellation owns its booking before someone else may take it over. */
  leaseSeconds: number;
  /** When a cancellation whose upstream did not answer may be tried again (the event's retry, the sweeper). */
  retrySeconds: number;
  /** Bookings of a cancelled flight cancelled at once: each is its own claim, so none races another. */
  concurrency: number;
}

/**
 * What a flight's event does to the bookings on it. A cancelled flight cancels and refunds each
 * confirmed booking with a leg on it, with reason flight_cancelled, through the saga's cancel
 * steps, except one flown or in the air on another leg, which keeps its booking and is refunded
 * the cancelled leg's fare instead (leg-refunds.ts): the claim is a compare-and-set and the
 * refund is keyed by the payment, so two instances (or a retry) cancel and refund each booking once.
 * A few bookings are cancelled at a time (`concurrency`), each under its own claim: one after
 * another, a full flight's last traveller heard some seconds after its first. A delay that leaves
 * a connection shorter than the minimum marks the booking connection_at_risk (a later retime that
 * restores every connection clears it). Both notify the traveller.
 */
export class DisruptionHandler {
  constructor(
    private readonly repo: BookingsRepo,
    private readonly executor: SagaExecutor,
    private readonly flights: Pick<FlightClient, "getFlight" | "getFlights">,
    private readonly notices: BookingNotices,
    private readonly legRefunds: LegRefunds,
    private readonly opts: DisruptionOptions,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** True when the event is fully handled; false to be tried again later. */
  async handle(eventId: string, ev: FlightEventBody): Promise<boolean> {
    if (ev.kind === "cancelled") return this.flightCancelled(ev.flight_id);
    if (ev.kind === "delayed" || ev.kind === "retimed") return this.flightRetimed(eventId, ev);
    return true;
  }

  // A booking still pending may yet be confirmed (its confirm reached flight-svc before the
  // cancellation): the event stays unfinished until every booking on the flight has settled.
  // A flown booking is settled: it can no longer be cancelled, so no retry would ever claim it.
  // So is one whose other leg has departed: its travellers may be on board. Either is settled
  // once its cancelled leg's refund is recorded; one a try left unrecorded is finished first, even
  // if the flight flies again since, for that refund was owed when the try began.
  // A change running onto the flight may have confirmed its seats there before its booking's legs
  // move: the event waits for it too, or the booking would end confirmed on a cancelled flight.
  private async flightCancelled(flightId: number): Promise<boolean> {
    let settled = await this.legRefunds.finishOn(flightId);
    if (await this.stillCancelled(flightId)) {
      if (await this.repo.changingOnto(flightId)) settled = false;
      const bookings = await this.repo.onFlight(flightId);
      if (bookings.some((b) => b.status === "pending")) settled = false;
      const confirmed = bookings.filter((b) => b.status === "confirmed");
      const cancelled = await mapLimit(confirmed, this.opts.concurrency, (b) => this.cancel(b, flightId));
      if (cancelled.includes(false)) settled = false;
    }
    // Read again once every cancellation has ended: each booking's notice follows its own save.
    const notify = (await this.repo.onFlight(flightId)).filter(
      (b) => b.status === "cancelled" && b.cancelReason === "flight_cancelled",
    );
    await mapLimit(notify, this.opts.concurrency, (b) =>
      this.notices.send(b, "booking_cancelled", cancelledDedupeId(b), "flight_cancelled"),
    );
    return settled;
  }

  /**
   * A cancelled flight stays cancelled, but a try that runs after flight-svc's data was loaded
   * anew under the same ids (the event waited for a pending booking, or was read late) must not
   * cancel the bookings of a flight that flies. A flight-svc that does not answer leaves the event's word.
   */
  private async stillCancelled(flightId: number): Promise<boolean> {
    const flight = await this.flights.getFlight(flightId).catch(() => null);
    return flight === null || flight.status === "cancelled";
  }

  private async cancel(b: BookingWithLegs, flightId: number): Promise<boolean> {
    // A cancellation already under way (a customer's, or an earlier try's) is finished, not undone.
    if (b.step === "done") {
      const departed = await this.departedLeg(b, flightId).catch(() => undefined);
      // flight-svc did not answer: whether the booking may still be cancelled waits for the next try.
      if (departed === undefined) return false;
      if (departed !== null) {
        this.log.info(
          { booking_id: b.id, flight_id: flightId, departed_flight_id: departed },
          "booking kept: another of its flights has departed",
        );
        return this.legRefunds.settle(b.id, flightId);
      }
    }
    const claimed = await this.repo.claimCancel(b.id, this.opts.leaseSeconds, "flight_cancelled");
    // A check-in running ends within its lease: the event's next try cancels the booking.
    if (claimed === "checking_in") return false;
    if (!claimed) {
      const flown = (await this.repo.get(b.id))?.flownAt != null;
      return flown && (await this.legRefunds.settle(b.id, flightId));
    }
    const result = await this.executor.run(claimed, "live");
    if (result.state.step === "done") {
      this.log.info(
        { booking_id: b.id, flight_ids: b.legs.map((l) => l.flight_id) },
        "booking cancelled: flight cancelled",
      );
      return true;
    }
    // An upstream did not answer: the claim is given up soon, as a customer's cancellation's is,
    // so the event's next try takes it up again instead of waiting out the whole lease.
    if (!result.lost) await this.repo.setLease(b.id, this.opts.retrySeconds);
    return false;
  }

  /**
   * A leg on another flight, not cancelled, that departed after the booking was confirmed: its
   * travellers may be on board, so the booking is no longer cancelled, as a flown one is not (only
   * its cancelled leg is refunded), and the flown job marks it flown once that flight arrives. A
   * booking confirmed after the flight had left (the 2024 sample flights booked now) never boarded
   * it: the flown job never marks that leg flown, and the booking is cancelled as any other.
   */
  private async departedLeg(b: BookingWithLegs, cancelled: number): Promise<number | null> {
    const confirmed = b.confirmedAt?.getTime();
    if (confirmed === undefined) return null;
    const now = Date.now();
    const others = await this.flights.getFlights(b.legs.map((l) => l.flight_id).filter((id) => id !== cancelled));
    for (const f of others) {
      if (!f || f.status === "cancelled") continue;
      const departure = Date.parse(f.departure_time);
      if (departure <= now && departure > confirmed) return f.id;
    }
    return null;
  }

  // A booking a change is moving onto the flight is not on it yet (and the change's swap clears
  // the mark): the event waits for the change, then looks at the booking on its new legs.
  private async flightRetimed(eventId: string, ev: FlightEventBody): Promise<boolean> {
    const times = new Map<number, LegTimes>([
      [
        ev.flight_id,
        {
          flightId: ev.flight_id,
          departure: Date.parse(ev.after.departure_time),
          arrival: Date.parse(ev.after.arrival_time),
        },
      ],
    ]);
    for (const b of await this.repo.onFlight(ev.flight_id)) {
      if (b.status !== "confirmed" || b.legs.length < 2) continue;
      const legs: LegTimes[] = [];
      for (const leg of b.legs) legs.push(await this.timesOf(leg.flight_id, times));
      if (!connectionBroken(legs, this.opts.minConnectionMinutes)) {
        // The flag says what the itinerary is now (a change clears it too): a delay taken back
        // must not leave the booking shown at risk.
        if (b.connectionAtRisk) await this.repo.clearConnectionAtRisk(b.id);
        continue;
      }
      await this.repo.markConnectionAtRisk(b.id);
      await this.notices.send(b, "connection_at_risk", atRiskDedupeId(b, eventId), ev.kind);
    }
    return !(await this.repo.changingOnto(ev.flight_id));
  }

  private async timesOf(flightId: number, known: Map<number, LegTimes>): Promise<LegTimes> {
    const found = known.get(flightId);
    if (found) return found;
    const f = await this.flights.getFlight(flightId);
    // A leg's flight that no longer exists has no times to compare: it cannot break a connection.
    const t = f
      ? { flightId, departure: Date.parse(f.departure_time), arrival: Date.parse(f.arrival_time) }
      : { flightId, departure: Number.POSITIVE_INFINITY, arrival: Number.NEGATIVE_INFINITY };
    known.set(flightId, t);
    return t;
  }
}
