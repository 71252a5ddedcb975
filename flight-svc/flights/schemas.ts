import { type Static, Type } from "@sinclair/typebox";
import { StringEnum } from "../../contracts/errors.js";
import { Money, Text } from "../../lib/input-schemas.js";
import { MAX_PRICE } from "../../lib/money.js";
import { AirportCode } from "../search/schemas.js";

const FlightStatus = Type.Unsafe<"scheduled" | "delayed" | "cancelled">({
  type: "string",
  enum: ["scheduled", "delayed", "cancelled"],
});
/** ISO 8601; a time without an offset is UTC. Checked further by parseTime. */
const TimeInput = Type.String({
  pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|z|[+-]\\d{2}:\\d{2})?$",
});
const Price = Money(MAX_PRICE);

export const FlightCreate = Type.Object(
  {
    flight_number: Type.String({ pattern: "^[A-Za-z0-9]{2,3}[0-9]{1,5}$" }),
    airline: Type.Optional(Text(100)),
    source: AirportCode,
    destination: AirportCode,
    departure_time: TimeInput,
    arrival_time: TimeInput,
    total_seats: Type.Integer({ minimum: 1, maximum: 1000 }),
    price: Price,
    status: Type.Optional(FlightStatus),
  },
  { additionalProperties: false },
);
export type FlightCreate = Static<typeof FlightCreate>;

export const FlightPatch = Type.Object(
  {
    price: Type.Optional(Price),
    departure_time: Type.Optional(TimeInput),
    arrival_time: Type.Optional(TimeInput),
    status: Type.Optional(FlightStatus),
    total_seats: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
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
