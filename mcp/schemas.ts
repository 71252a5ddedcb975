import { type TObject, Type } from "@sinclair/typebox";
import { ChangeBody, ChangeResult } from "../booking-svc/change/change-schemas.js";
import { BoardingPasses, CheckInBody, VerifyBody, VerifyResult } from "../booking-svc/check-in/schemas.js";
import { BookingView, CreateBody, ListBody, ListQuery, ResultBody } from "../booking-svc/schemas.js";
import { Flight } from "../contracts/flight-svc/flights.js";
import { SeatMap } from "../contracts/flight-svc/seats.js";
import { SearchQuery, SearchResponse } from "../flight-svc/search/schemas.js";
import { Id, IdOf } from "../lib/input-schemas.js";
import { StatementQuery, StatementReply } from "../user-svc/loyalty/schemas.js";
import { LoginBody } from "../user-svc/schemas.js";
import { SubscriptionList, SubscriptionParams, SubscriptionView } from "../user-svc/updates/schemas.js";

// The tools' input and output schemas, made from the schemas the services validate and answer
// with: a field renamed in a route's schema changes the tool's schema with it.

/** Names one attempt of a destructive call: the same request_id is the same booking, change or cancellation. */
const RequestId = Type.String({
  minLength: 1,
  maxLength: 200,
  description: "Optional: your own id for this attempt; repeat it when retrying, change it for a new booking.",
});

const strict = { additionalProperties: false } as const;
const BookingIdField = IdOf("One of the signed-in user's bookings, as book or list_bookings answered it");
const BookingId = Type.Object({ booking_id: BookingIdField }, strict);
const FlightId = Type.Object({ flight_id: IdOf("A flight's id, as search_flights answers it (flights[].id)") }, strict);

/** DELETE /api/subscriptions/:flight_id answers 204 without a body: the tool says what it did. */
const Unsubscribed = Type.Object({ flight_id: Id, subscribed: Type.Literal(false) });

export const Inputs = {
  login: LoginBody,
  search_flights: SearchQuery,
  get_flight: FlightId,
  get_seatmap: FlightId,
  book: Type.Object({ ...Type.Omit(CreateBody, ["user_id"]).properties, request_id: Type.Optional(RequestId) }, strict),
  get_booking: BookingId,
  list_bookings: Type.Omit(ListQuery, ["user_id"], strict),
  change_booking: Type.Object(
    { booking_id: BookingIdField, ...ChangeBody.properties, request_id: Type.Optional(RequestId) },
    strict,
  ),
  cancel_booking: Type.Object({ booking_id: BookingIdField, request_id: Type.Optional(RequestId) }, strict),
  check_in: Type.Object({ booking_id: BookingIdField, ...CheckInBody.properties }, strict),
  get_boarding_passes: BookingId,
  loyalty_balance: StatementQuery,
  subscribe_flight: FlightId,
  list_subscriptions: Type.Object({}, strict),
  unsubscribe_flight: SubscriptionParams,
  verify_boarding_pass: VerifyBody,
} satisfies Record<string, TObject>;

export const Outputs = {
  login: Type.Object({ user_id: Id, expires_in: Type.Integer() }),
  search_flights: SearchResponse,
  get_flight: Flight,
  get_seatmap: SeatMap,
  book: ResultBody,
  get_booking: BookingView,
  list_bookings: ListBody,
  change_booking: ChangeResult,
  cancel_booking: ResultBody,
  check_in: BoardingPasses,
  get_boarding_passes: BoardingPasses,
  loyalty_balance: StatementReply,
  subscribe_flight: SubscriptionView,
  list_subscriptions: SubscriptionList,
  unsubscribe_flight: Unsubscribed,
  verify_boarding_pass: VerifyResult,
} satisfies Record<keyof typeof Inputs, TObject>;

export type ToolName = keyof typeof Inputs;
