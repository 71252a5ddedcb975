import type { FastifyBaseLogger } from "fastify";
import type { Flight } from "../../contracts/flight-svc/flights.js";
import { isSeat } from "../../contracts/flight-svc/seat-layout.js";
import { AppError, validationError } from "../../lib/errors.js";
import type { Sql } from "../../lib/postgres-plugin.js";
import { requestHash } from "../../lib/request-hash.js";
import type { Inventory } from "../inventory/plugin.js";
import { type FlightRow, MAX_FLIGHT_MINUTES, MINUTE_MS } from "../search/flight-record.js";
import type { Timetable } from "../search/timetable.js";
import { insertKeyedFlight } from "./keyed-insert.js";
import { flightOfRow } from "./render.js";
import { assignedSeats, changeFlight, type FlightChanges, findFlight, insertFlight, type NewFlight } from "./repo.js";
import type { FlightCreate, FlightPatch } from "./schemas.js";
import { parseTime } from "./time-input.js";

export interface FlightsServiceOptions {
  sql: Sql;
  inventory: Pick<Inventory, "availableSeats" | "adjustTotalSeats" | "flightChanged">;
  timetable: Pick<Timetable, "applied">;
  /** Told after each committed change, so its outbox event reaches the stream at once. */
  onChanged?: () => void;
}

/** A typo in a year or a day would otherwise put a flight in the timetable for days on end. */
function checkOrder(departure: Date, arrival: Date): void {
  if (arrival <= departure) throw validationError("arrival_time", "arrival_time must be after departure_time");
  if (arrival.getTime() - departure.getTime() > MAX_FLIGHT_MINUTES * MINUTE_MS) {
    throw validationError(
      "arrival_time",
      `arrival_time must be at most ${MAX_FLIGHT_MINUTES / 60} hours after departure_time`,
    );
  }
}

/**
 * A cancellation is final: the disruption handler has cancelled and refunded its bookings, so a
 * flight put back on sale would sell seats on a flight its passengers were told is gone, and a
 * new time would reach them as a delay of it. The same time again (a retried patch) is no move.
 */
function refuseMoving(patch: FlightPatch, departure: Date | null, arrival: Date | null, current: FlightRow): void {
  const moved =
    patch.status !== undefined && patch.status !== "cancelled"
      ? "status"
      : departure && departure.getTime() !== current.departure_time.getTime()
        ? "departure_time"
        : arrival && arrival.getTime() !== current.arrival_time.getTime()
          ? "arrival_time"
          : null;
  if (moved === null) return;
  throw new AppError("flight_cancelled", "The flight is cancelled; its status and times can no longer change.", {
    field: moved,
    flight_id: Number(current.id),
  });
}

/** The columns a patch writes, checked against the locked row, and how far the seat counter moves. */
function planChange(
  patch: FlightPatch,
  departure: Date | null,
  arrival: Date | null,
  current: FlightRow,
): { changes: FlightChanges; delta: number } {
  if (current.status === "cancelled") refuseMoving(patch, departure, arrival, current);
  checkOrder(departure ?? current.departure_time, arrival ?? current.arrival_time);
  const changes: FlightChanges = {};
  if (patch.price !== undefined) changes.price = patch.price;
  if (departure) changes.departure_time = departure;
  if (arrival) changes.arrival_time = arrival;
  if (patch.status !== undefined) changes.status = patch.status;
  if (patch.total_seats === undefined) return { changes, delta: 0 };
  if (patch.total_seats < current.booked_seats) {
    throw new AppError(
      "conflict",
      `total_seats ${patch.total_seats} is below the ${current.booked_seats} seats already booked.`,
      { field: "total_seats", booked_seats: current.booked_seats },
    );
  }
  changes.total_seats = patch.total_seats;
  return { changes, delta: patch.total_seats - current.total_seats };
}

const notFound = (id: number) => new AppError("flight_not_found", undefined, { flight_id: id });

/**
 * A new flight as its row tells it. Nothing can hold seats on a flight this new, so its counter
 * starts at total − booked: the answer when its seats cannot be read, and the one a key stores.
 */
const asCreated = (row: FlightRow): Flight => flightOfRow(row, row.total_seats - row.booked_seats);

/**
 * One flight: read with live seats, add, change. What a change may do is decided here; the
 * committed row then reaches the timetable, whose cache bump never fails the request.
 */
export class FlightsService {
  constructor(private readonly opts: FlightsServiceOptions) {}

  async get(id: number): Promise<Flight> {
    const row = await findFlight(this.opts.sql, id);
    if (!row) throw notFound(id);
    return this.withSeats(row);
  }

  /**
   * `log`: the request's logger, so that a warning carries the request's id. With `key` (an
   * Idempotency-Key and whose it is) a retry with the same body replays the flight as the first
   * request created it, another body is 422, and a duplicate while the first runs is 409.
   */
  async create(
    body: FlightCreate,
    log: FastifyBaseLogger,
    key?: { caller: string; key: string },
  ): Promise<{ flight: Flight; replayed: boolean }> {
    const source = body.source.toUpperCase();
    const destination = body.destination.toUpperCase();
    if (source === destination) throw validationError("destination", "destination must differ from source");
    const departure = parseTime("departure_time", body.departure_time);
    const arrival = parseTime("arrival_time", body.arrival_time);
    checkOrder(departure, arrival);
    const flight: NewFlight = {
      flight_number: body.flight_number.toUpperCase(),
      airline: body.airline ?? "",
      source,
      destination,
      departure_time: departure,
      arrival_time: arrival,
      total_seats: body.total_seats,
      price: body.price,
      status: body.status ?? "scheduled",
    };
    let row: FlightRow;
    if (key) {
      const keyed = await insertKeyedFlight(this.opts.sql, flight, { ...key, hash: requestHash(body) }, asCreated);
      if (keyed.kind === "mismatch") throw new AppError("idempotency_key_reused");
      if (keyed.kind === "in_progress") throw new AppError("request_in_progress");
      if (keyed.kind === "replay") return { flight: keyed.answer, replayed: true };
      row = keyed.row;
    } else {
      row = await insertFlight(this.opts.sql, flight);
    }
    // A hold asked for this id before it existed has it cached as missing.
    this.opts.inventory.flightChanged(Number(row.id));
    await this.opts.timetable.applied(row, log);
    try {
      return { flight: await this.withSeats(row), replayed: false };
    } catch (err) {
      // The flight is committed: a 5xx now would make the client add it a second time.
      log.warn(
        { component: "flights", err, flight_id: Number(row.id) },
        "seats of a new flight not read; answered from its row",
      );
      return { flight: asCreated(row), replayed: false };
    }
  }

  /**
   * Changes a flight under its row lock. A new total_seats moves the Redis counter first (which
   * refuses if held and booked seats would not fit), and moves it back if PostgreSQL then fails.
   */
  async update(id: number, patch: FlightPatch, log: FastifyBaseLogger): Promise<Flight> {
    const departure = patch.departure_time === undefined ? null : parseTime("departure_time", patch.departure_time);
    const arrival = patch.arrival_time === undefined ? null : parseTime("arrival_time", patch.arrival_time);
    const { adjustTotalSeats } = this.opts.inventory;
    let adjusted = 0;
    let row: FlightRow | null;
    try {
      row = await changeFlight(this.opts.sql, id, { cabin: patch.total_seats !== undefined }, async (current, tx) => {
        const { changes, delta } = planChange(patch, departure, arrival, current);
        if (delta < 0) {
          // The cabin follows total_seats (contracts/flight-svc/seat-layout.ts): a smaller one
          // must not drop a seat a passenger holds a boarding pass for.
          const cut = (await assignedSeats(tx, id)).filter((seat) => !isSeat(seat, changes.total_seats as number));
          if (cut.length > 0) {
            throw new AppError(
              "conflict",
              `total_seats ${changes.total_seats} leaves out seat${cut.length > 1 ? "s" : ""} ${cut.join(", ")}, where a passenger has checked in.`,
              { field: "total_seats", seats: cut },
            );
          }
        }
        if (delta !== 0) {
          await adjustTotalSeats(id, delta);
          adjusted = delta;
        }
        return changes;
      });
    } catch (err) {
      if (adjusted !== 0) await adjustTotalSeats(id, -adjusted);
      throw err;
    }
    if (!row) throw notFound(id);
    this.opts.inventory.flightChanged(id);
    this.opts.onChanged?.();
    await this.opts.timetable.applied(row, log);
    try {
      return await this.withSeats(row);
    } catch (err) {
      // The change is committed and its event is in the outbox: a 5xx now would tell the admin
      // it was not made. Without Redis the seats held are unknown, so the row's count stands in.
      log.warn(
        { component: "flights", err, flight_id: id },
        "seats of a changed flight not read; answered from its row",
      );
      return flightOfRow(row, row.total_seats - row.booked_seats);
    }
  }

  private async withSeats(row: FlightRow): Promise<Flight> {
    const [free] = await this.opts.inventory.availableSeats([Number(row.id)]);
    return flightOfRow(row, free ?? 0);
  }
}
