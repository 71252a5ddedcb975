import { type Static, Type } from "@sinclair/typebox";
import { Flight } from "../../contracts/flight-svc/flights.js";
import { ErrorBody } from "../../lib/errors.js";
import { CalendarDate, Money } from "../../lib/input-schemas.js";
import { MAX_PRICE } from "../../lib/money.js";

const AirportCode = Type.String({ pattern: "^[A-Za-z]{3}$", description: "IATA code; lower case is accepted" });
const FlightStatus = Type.Unsafe<"scheduled" | "delayed" | "cancelled">({
  type: "string",
  enum: ["scheduled", "delayed", "cancelled"],
});
/** ISO 8601; a time without an offset is UTC. Checked further by parseTime. */
const TimeInput = Type.String({
  pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|z|[+-]\\d{2}:\\d{2})?$",
});
const Price = Money(MAX_PRICE);

export const SearchQuery = Type.Object(
  {
    source: AirportCode,
    destination: AirportCode,
    date: Type.String({ ...CalendarDate, description: "UTC date the first leg departs" }),
    seats: Type.Integer({ minimum: 1, maximum: 9, default: 1 }),
    sort_by: Type.Unsafe<"cheapest" | "fastest">({
      type: "string",
      enum: ["cheapest", "fastest"],
      default: "cheapest",
    }),
    max_stops: Type.Integer({ minimum: 0, maximum: 3, default: 3 }),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  },
  { additionalProperties: false },
);
export type SearchQuery = Static<typeof SearchQuery>;

export const SearchPath = Type.Object({
  flights: Type.Array(Flight),
  total_price: Type.Number(),
  total_time_minutes: Type.Integer(),
  stops: Type.Integer(),
  available_seats: Type.Integer(),
});
export type SearchPath = Static<typeof SearchPath>;

export const SearchResponse = Type.Object({ paths: Type.Array(SearchPath), count: Type.Integer() });
export type SearchResponse = Static<typeof SearchResponse>;

export const FlightCreate = Type.Object(
  {
    flight_number: Type.String({ pattern: "^[A-Za-z0-9]{2,3}[0-9]{1,5}$" }),
    airline: Type.Optional(Type.String({ maxLength: 100 })),
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

export const Errors = { "4xx": ErrorBody, "5xx": ErrorBody } as const;
