import { type TObject, Type } from "@sinclair/typebox";
import { BookingView, CreateBody, ListBody, ListQuery, ResultBody } from "../booking-svc/schemas.js";
import { Flight } from "../contracts/flight-svc/flights.js";
import { SearchQuery, SearchResponse } from "../flight-svc/search/schemas.js";
import { CalendarDate, Id } from "../lib/input-schemas.js";
import { LoginBody } from "../user-svc/schemas.js";
import { SubscriptionView } from "../user-svc/updates/schemas.js";

// The tools' input and output schemas, made from the schemas the services validate and answer
// with: a field renamed in a route's schema changes the tool's schema with it.

/** Names one attempt of a destructive call: the same request_id is the same booking, change or cancellation. */
const RequestId = Type.String({
  minLength: 1,
  maxLength: 200,
  description: "Optional: your own id for this attempt; repeat it when retrying, change it for a new booking.",
});

const strict = { additionalProperties: false } as const;
const BookingId = Type.Object({ booking_id: Id }, strict);
const FlightId = Type.Object({ flight_id: Id }, strict);

/**
 * What an endpoint answers whose contract is not in contracts/ yet (seat map, check-in, boarding
 * passes, change, loyalty: issues 17 and 18): any JSON object, passed through as it came.
 */
export const Passthrough = Type.Object({}, { additionalProperties: true });

export const Inputs = {
  login: LoginBody,
  search_flights: SearchQuery,
  get_flight: FlightId,
  get_seatmap: FlightId,
  book: Type.Object({ ...Type.Omit(CreateBody, ["user_id"]).properties, request_id: Type.Optional(RequestId) }, strict),
  get_booking: BookingId,
  list_bookings: Type.Omit(ListQuery, ["user_id"], strict),
  change_booking: Type.Object(
    {
      booking_id: Id,
      flight_ids: Type.Array(Id, { minItems: 1, maxItems: 4, uniqueItems: true }),
      date: CalendarDate,
      request_id: Type.Optional(RequestId),
    },
    strict,
  ),
  cancel_booking: Type.Object({ booking_id: Id, request_id: Type.Optional(RequestId) }, strict),
  check_in: Type.Object(
    {
      booking_id: Id,
      seats: Type.Optional(
        Type.Array(Type.Object({ passenger: Type.Unknown(), flight_id: Id, seat: Type.String() }), {
          description: "Optional seat choices; without them free seats are picked.",
        }),
      ),
    },
    strict,
  ),
  get_boarding_passes: BookingId,
  loyalty_balance: Type.Object({}, strict),
  subscribe_flight: FlightId,
} satisfies Record<string, TObject>;

export const Outputs = {
  login: Type.Object({ user_id: Id, expires_in: Type.Integer() }),
  search_flights: SearchResponse,
  get_flight: Flight,
  get_seatmap: Passthrough,
  book: ResultBody,
  get_booking: BookingView,
  list_bookings: ListBody,
  change_booking: Passthrough,
  cancel_booking: ResultBody,
  check_in: Passthrough,
  get_boarding_passes: Passthrough,
  loyalty_balance: Passthrough,
  subscribe_flight: SubscriptionView,
} satisfies Record<keyof typeof Inputs, TObject>;

export type ToolName = keyof typeof Inputs;
