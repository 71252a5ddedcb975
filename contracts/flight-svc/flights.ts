import { type Static, Type } from "@sinclair/typebox";
import { CalendarDate, IdOf } from "../../lib/input-schemas.js";
import { Refusal } from "../errors.js";

// flight-svc's flight reads as booking-svc and the stress harness call them.

/** GET /api/flights/:id → 200 Flight; also the legs of a search result. */
export const Flight = Type.Object({
  id: Type.Integer(),
  flight_number: Type.String(),
  airline: Type.String(),
  source: Type.String(),
  destination: Type.String(),
  departure_time: Type.String(),
  arrival_time: Type.String(),
  total_seats: Type.Integer(),
  booked_seats: Type.Integer(),
  price: Type.Number(),
  status: Type.String(),
  available_seats: Type.Integer(),
});
export type Flight = Static<typeof Flight>;

export const FlightParams = Type.Object({ id: IdOf("The flight's id") });

export const FlightReadRefusal = Refusal(["validation_error", "flight_not_found"], {});

/** POST /api/flights/validate (and the original's seats/decrement, /increment). */
export const FlightSeats = Type.Object(
  {
    flight_id: IdOf("The flight's id"),
    seats: Type.Integer({ minimum: 1, maximum: 1000, description: "Number of seats, 1-1000" }),
    date: Type.String({
      ...CalendarDate,
      description: "The flight's departure date (YYYY-MM-DD, UTC); another day is refused",
    }),
  },
  { additionalProperties: false },
);
export type FlightSeats = Static<typeof FlightSeats>;

/** 200 always for a well-formed request: an unknown flight is `valid: false`, never a 404. */
export const Validation = Type.Object({
  valid: Type.Boolean(),
  message: Type.Optional(Type.String()),
  price: Type.Number(),
  available_seats: Type.Integer(),
  flight_id: Type.Integer(),
});
export type Validation = Static<typeof Validation>;

export const ValidationRefusal = Refusal(["validation_error"], {});
