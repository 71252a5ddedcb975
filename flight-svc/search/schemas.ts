import { type Static, Type } from "@sinclair/typebox";
import { Flight } from "../../contracts/flight-svc/flights.js";
import { ErrorBody } from "../../lib/errors.js";
import { CalendarDate, Defaulted } from "../../lib/input-schemas.js";

export const AirportCode = Type.String({ pattern: "^[A-Za-z]{3}$", description: "IATA code; lower case is accepted" });

export const SearchQuery = Type.Object(
  {
    source: AirportCode,
    destination: AirportCode,
    date: Type.String({
      ...CalendarDate,
      description: "UTC date the first leg departs, YYYY-MM-DD (2000-01-01 to 2099-12-31)",
    }),
    seats: Defaulted(
      Type.Integer({
        minimum: 1,
        maximum: 9,
        default: 1,
        description: "Seats needed on every flight, one per traveller (1-9, default 1)",
      }),
    ),
    sort_by: Defaulted(
      Type.Unsafe<"cheapest" | "fastest">({
        type: "string",
        enum: ["cheapest", "fastest"],
        default: "cheapest",
        description:
          "cheapest: lowest total price first (then shortest); fastest: shortest total time first (then cheapest)",
      }),
    ),
    max_stops: Defaulted(
      Type.Integer({
        minimum: 0,
        maximum: 3,
        default: 3,
        description: "Most connections allowed: 0 (direct only) to 3, default 3",
      }),
    ),
    limit: Defaulted(
      Type.Integer({
        minimum: 1,
        maximum: 100,
        default: 20,
        description: "Most itineraries returned (1-100, default 20)",
      }),
    ),
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

export const Errors = { "4xx": ErrorBody, "5xx": ErrorBody } as const;
