import { type Static, Type } from "@sinclair/typebox";
import { ErrorBody } from "../../lib/errors.js";
import { CalendarDate } from "../../lib/input-schemas.js";

export const AirportCode = Type.String({ pattern: "^[A-Za-z]{3}$", description: "IATA code; lower case is accepted" });

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

export const Errors = { "4xx": ErrorBody, "5xx": ErrorBody } as const;
