import { type Static, Type } from "@sinclair/typebox";
import { StringEnum } from "../../contracts/errors.js";
import { Money, Text } from "../../lib/input-schemas.js";
import { MAX_PRICE } from "../../lib/money.js";
import { AirportCode } from "../search/schemas.js";

const FlightStatus = (description: string) =>
  Type.Unsafe<"scheduled" | "delayed" | "cancelled">({
    type: "string",
    enum: ["scheduled", "delayed", "cancelled"],
    description,
  });
/** ISO 8601; a time without an offset is UTC. Checked further by parseTime. */
const TimeInput = (description: string) =>
  Type.String({
    pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|z|[+-]\\d{2}:\\d{2})?$",
    description: `${description}: ISO 8601 on a whole minute, with an offset from -14:00 to +14:00 or none (UTC)`,
  });
const ARRIVAL = "Arrival time, after the departure and at most 48 hours after it";
const Price = (description: string) => Type.Number({ ...Money(MAX_PRICE), description });
const TotalSeats = Type.Integer({ minimum: 1, maximum: 1000, description: "Seats in the cabin, 1-1000" });

export const FlightCreate = Type.Object(
  {
    flight_number: Type.String({
      pattern: "^[A-Za-z0-9]{2,3}[0-9]{1,5}$",
      description: "Airline code (2-3 letters or digits) then 1-5 digits, e.g. AI101",
    }),
    airline: Type.Optional(Text(100, "Airline name, at most 100 characters; default: empty")),
    source: AirportCode,
    destination: AirportCode,
    departure_time: TimeInput("Departure time"),
    arrival_time: TimeInput(ARRIVAL),
    total_seats: TotalSeats,
    price: Price(`Fare per seat, more than 0 and at most ${MAX_PRICE}, at most two decimals`),
    status: Type.Optional(FlightStatus("scheduled, delayed or cancelled; default: scheduled")),
  },
  { additionalProperties: false },
);
export type FlightCreate = Static<typeof FlightCreate>;

export const FlightPatch = Type.Object(
  {
    price: Type.Optional(Price(`New fare per seat, more than 0 and at most ${MAX_PRICE}, at most two decimals`)),
    departure_time: Type.Optional(TimeInput("New departure time")),
    arrival_time: Type.Optional(TimeInput(`New ${ARRIVAL.toLowerCase()}`)),
    status: Type.Optional(
      FlightStatus("New status: scheduled, delayed or cancelled (a cancelled flight cannot be set back)"),
    ),
    total_seats: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 1000,
        description: "New number of seats in the cabin, 1-1000; not below the seats booked and held",
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type FlightPatch = Static<typeof FlightPatch>;

/**
 * A PATCH refused by the flight's state: total_seats below the booked seats or cutting a checked-in
 * seat (conflict), below booked plus held (not_enough_seats), or a cancelled flight's status
 * changed (flight_cancelled: a cancellation is final).
 */
export const FlightPatchConflict = Type.Object(
  {
    error: StringEnum(["conflict", "not_enough_seats", "flight_cancelled"]),
    message: Type.String(),
    field: Type.Optional(Type.String()),
    flight_id: Type.Optional(Type.Integer()),
  },
  { additionalProperties: true },
);
