import { type Static, Type } from "@sinclair/typebox";
import { IdOf } from "../../lib/input-schemas.js";
import { Refusal } from "../errors.js";
import { HoldNonce } from "./booking-ref.js";

// flight-svc's seat assignments as booking-svc calls them at check-in. Passengers are numbered
// 0…seats−1 in the booking's order: flight-svc never sees a passenger's name. A booking is named
// by its id and, when it has one, its hold nonce (booking-ref.ts): the seats are its ref's.

/** A seat label of the layout in docs/api.md ("12C"); whether the flight has it is checked by flight-svc. */
export const SeatLabel = Type.String({ pattern: "^[1-9][0-9]{0,2}[A-F]$" });

export const PassengerIndex = Type.Integer({ minimum: 0, maximum: 8 });

const BookingId = IdOf("The booking's id in booking-svc");
const BookingNonce = Type.String({
  ...HoldNonce,
  description: "The booking's hold nonce (16 lowercase hex digits), for a booking that has one",
});
const Passengers = Type.Array(
  Type.Object(
    {
      passenger: Type.Integer({
        ...PassengerIndex,
        description: "The passenger's index in the booking, from 0 (0-8)",
      }),
      seat: Type.Optional(
        Type.String({
          ...SeatLabel,
          description:
            "Seat to move to, row then letter A-F (e.g. 12C); default: the seat the passenger has, or a free one",
        }),
      ),
    },
    { additionalProperties: false },
  ),
  { minItems: 1, maxItems: 9, description: "1-9 passengers of the booking to seat, all or none" },
);

export const SeatAssignmentParams = Type.Object({ id: IdOf("The flight's id") });

/**
 * POST /api/flights/:id/seat-assignments: seats for passengers of a booking on one flight, all or
 * none. A passenger without `seat` keeps the seat they have or gets a free one; a passenger with
 * a new `seat` moves there and their old seat is freed.
 */
export const SeatAssignmentRequest = Type.Object(
  {
    booking_id: BookingId,
    hold_nonce: Type.Optional(BookingNonce),
    passengers: Passengers,
  },
  { additionalProperties: false },
);
export type SeatAssignmentRequest = Static<typeof SeatAssignmentRequest>;

export const SeatAssignmentQuery = Type.Object(
  { booking_id: BookingId, hold_nonce: Type.Optional(BookingNonce) },
  { additionalProperties: false },
);

export const SeatAssignment = Type.Object({
  passenger: Type.Integer(),
  seat: Type.String(),
  /** The flight's boarding sequence: the order in which passengers checked in, from 1. */
  sequence: Type.Integer(),
});
export type SeatAssignment = Static<typeof SeatAssignment>;

/** 200: the booking's seats on the flight after the call (GET: as they are), by passenger. */
export const SeatAssignments = Type.Object({
  flight_id: Type.Integer(),
  booking_id: Type.Integer(),
  assignments: Type.Array(SeatAssignment),
});
export type SeatAssignments = Static<typeof SeatAssignments>;

/**
 * POST /api/seat-assignments: a booking's seats on several of its flights (each at most once), all
 * legs or none: one leg refused or failing leaves every leg as it was. Each leg as the call above.
 */
export const LegSeatsRequest = Type.Object(
  {
    booking_id: BookingId,
    hold_nonce: Type.Optional(BookingNonce),
    legs: Type.Array(
      Type.Object({ flight_id: IdOf("The leg's flight id"), passengers: Passengers }, { additionalProperties: false }),
      { minItems: 1, maxItems: 4, description: "1-4 of the booking's flights, each at most once; all or none" },
    ),
  },
  { additionalProperties: false },
);
export type LegSeatsRequest = Static<typeof LegSeatsRequest>;

/** 200: the booking's seats on each leg after the call, in the request's order. */
export const LegSeats = Type.Object({
  booking_id: Type.Integer(),
  legs: Type.Array(Type.Object({ flight_id: Type.Integer(), assignments: Type.Array(SeatAssignment) })),
});
export type LegSeats = Static<typeof LegSeats>;

/**
 * 400 validation_error (field names the passenger or seat), 404 flight_not_found, 409 seat_taken
 * (seat), not_checked_in (the booking has no confirmed seats there), not_enough_seats (no free seat left).
 */
export const SeatAssignmentRefusal = Refusal(
  ["validation_error", "flight_not_found", "seat_taken", "not_checked_in", "not_enough_seats"],
  { flight_id: Type.Optional(Type.Integer()), seat: Type.Optional(Type.String()) },
);
export type SeatAssignmentRefusal = Static<typeof SeatAssignmentRefusal>;

/** GET /api/flights/:id/seatmap (anyone). */
export const SeatMap = Type.Object({
  flight_id: Type.Integer(),
  flight_number: Type.String(),
  total_seats: Type.Integer(),
  free_seats: Type.Integer(),
  rows: Type.Array(
    Type.Object({
      row: Type.Integer(),
      seats: Type.Array(
        Type.Object({ seat: Type.String(), status: Type.Union([Type.Literal("free"), Type.Literal("taken")]) }),
      ),
    }),
  ),
});
export type SeatMap = Static<typeof SeatMap>;
