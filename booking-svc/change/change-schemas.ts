import { type Static, Type } from "@sinclair/typebox";
import { CalendarDate, IdOf } from "../../lib/input-schemas.js";

export const ChangeBody = Type.Object(
  {
    flight_ids: Type.Array(IdOf("A flight id"), {
      minItems: 1,
      maxItems: 4,
      uniqueItems: true,
      description:
        "The new itinerary's flights in flying order (1-4 legs), for the booking's seats; a flight kept stays as it is",
    }),
    date: Type.String({
      ...CalendarDate,
      description: "UTC departure date of the new first flight, YYYY-MM-DD",
    }),
  },
  { additionalProperties: false },
);
export type ChangeBodyT = Static<typeof ChangeBody>;

/** A change request's answer; a failed change adds `error` (and `field` for bad input). */
export const ChangeResult = Type.Object({
  booking_id: Type.Integer(),
  change_id: Type.Integer(),
  change_status: Type.Union([Type.Literal("pending"), Type.Literal("completed"), Type.Literal("failed")]),
  status: Type.String(),
  flight_ids: Type.Array(Type.Integer()),
  date: Type.String(),
  total_amount: Type.Number(),
  fare_difference: Type.Number(),
  fee: Type.Number(),
  charged: Type.Number(),
  refunded: Type.Number(),
  /** Of what the change owed back, what the provider refused to refund (the message says why). */
  not_refunded: Type.Optional(Type.Number()),
  payment_id: Type.Optional(Type.String()),
  message: Type.String(),
  error: Type.Optional(Type.String()),
  field: Type.Optional(Type.String()),
});
export type ChangeResultT = Static<typeof ChangeResult>;

/** One completed change in a booking's history (GET /api/bookings/:id). */
export const ChangeEntry = Type.Object({
  at: Type.String(),
  from_flight_ids: Type.Array(Type.Integer()),
  to_flight_ids: Type.Array(Type.Integer()),
  fare_difference: Type.Number(),
  fee: Type.Number(),
  charged: Type.Number(),
  refunded: Type.Number(),
  /** Only when the provider refused part of the refund: how much, and why in `message`. */
  not_refunded: Type.Optional(Type.Number()),
  message: Type.Optional(Type.String()),
});
export type ChangeEntryT = Static<typeof ChangeEntry>;
