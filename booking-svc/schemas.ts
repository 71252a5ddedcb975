import { type Static, Type } from "@sinclair/typebox";
import { ErrorBody } from "../lib/errors.js";
import { CalendarDate, Defaulted, IdOf, PAYMENT_TYPES, type PaymentType, Text } from "../lib/input-schemas.js";
import { MILES } from "./clients/payment-method.js";

/** payment-mock's types, and miles from the traveller's loyalty account (clients/payment-method.ts). */
export const BOOKING_PAYMENT_TYPES = [...PAYMENT_TYPES, MILES] as const;

import { ChangeEntry } from "./change/change-schemas.js";

export const Passenger = Type.Object(
  {
    /** Printed on the boarding pass, and how a check-in names the passenger: white space alone names nobody. */
    name: Text(100, "The passenger's name as on the boarding pass (up to 100 characters, not blank)"),
    email: Type.String({
      maxLength: 254,
      pattern: "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$",
      format: "text",
      description: "The passenger's email address",
    }),
  },
  { additionalProperties: false },
);
export type Passenger = Static<typeof Passenger>;

/** Ids, dates and payment types as flight-svc and payment-mock accept them: refused here, before a booking exists. */
export const CreateBody = Type.Object(
  {
    /** The token's user with AUTH_MODE=required (ownership.ts); required with AUTH_MODE=off. */
    user_id: Type.Optional(
      IdOf("Whose booking: a customer's own id or left out; an admin may name any user (required with AUTH_MODE=off)"),
    ),
    flight_id: Type.Optional(IdOf("A single flight to book; give this or flight_ids, not both")),
    flight_ids: Type.Optional(
      Type.Array(IdOf("A flight id"), {
        minItems: 1,
        maxItems: 4,
        uniqueItems: true,
        description:
          "An itinerary's flights in flying order (1-4 legs, as a search path lists them); give this or flight_id",
      }),
    ),
    seats: Type.Integer({
      minimum: 1,
      maximum: 9,
      description: "Number of travellers (1-9): that many seats on every flight, one each",
    }),
    date: Type.String({
      ...CalendarDate,
      description: "UTC departure date of the first flight, YYYY-MM-DD (the date searched for)",
    }),
    payment_type: Defaulted(
      Type.Unsafe<PaymentType | typeof MILES>({
        type: "string",
        enum: [...BOOKING_PAYMENT_TYPES],
        default: "credit_card",
        description: "How to pay (default credit_card); miles pays from the user's loyalty miles",
      }),
    ),
    passengers: Type.Optional(
      Type.Array(Passenger, {
        minItems: 1,
        maxItems: 9,
        description:
          'Optional: one entry per seat (as many as seats); without it they are "Passenger 1", "Passenger 2"…',
      }),
    ),
  },
  { additionalProperties: false },
);
export type CreateBodyT = Static<typeof CreateBody>;

/** A booking request's answer; failed bookings add `error` (and `field` for bad input). */
export const ResultBody = Type.Object(
  {
    booking_id: Type.Optional(Type.Integer()),
    status: Type.Optional(Type.String()),
    total_amount: Type.Optional(Type.Number()),
    payment_id: Type.Optional(Type.String()),
    refund_id: Type.Optional(Type.String()),
    // Optional only so that the fields serialize in this order (required ones would go first).
    message: Type.Optional(Type.String()),
    error: Type.Optional(Type.String()),
    field: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);
export type ResultBodyT = Static<typeof ResultBody>;

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

/**
 * A cancelled leg's refund, of a booking that outlived its flight's cancellation (its traveller
 * flew or was in the air on another leg): `amount` is the leg's fare (its price × seats),
 * `refunded` what was given back (in miles for a miles booking: the fare's whole miles), null
 * while the refund is under way. Only when the provider refused part of it: how much, and why.
 */
export const LegRefundEntry = Type.Object({
  flight_id: Type.Integer(),
  amount: Type.Number(),
  refunded: Type.Union([Type.Number(), Type.Null()]),
  refunded_at: Nullable(Type.String()),
  not_refunded: Type.Optional(Type.Number()),
  message: Type.Optional(Type.String()),
});
export type LegRefundEntryT = Static<typeof LegRefundEntry>;

export const BookingView = Type.Object({
  booking_id: Type.Integer(),
  user_id: Type.Integer(),
  status: Type.String(),
  step: Type.String(),
  legs: Type.Array(Type.Object({ flight_id: Type.Integer(), price: Type.Number() })),
  flight_ids: Type.Array(Type.Integer()),
  seats: Type.Integer(),
  date: Type.String(),
  payment_type: Type.String(),
  total_amount: Type.Number(),
  payment_id: Nullable(Type.String()),
  refund_id: Nullable(Type.String()),
  hold_id: Type.String(),
  message: Type.String(),
  error: Nullable(Type.String()),
  passenger_count: Type.Integer(),
  created_at: Type.String(),
  updated_at: Type.String(),
  confirmed_at: Nullable(Type.String()),
  cancelled_at: Nullable(Type.String()),
  cancel_reason: Nullable(Type.String()),
  connection_at_risk: Type.Boolean(),
  changes: Type.Array(ChangeEntry),
  leg_refunds: Type.Array(LegRefundEntry),
});

export type BookingViewT = Static<typeof BookingView>;

/** PUT /api/bookings/:id/cancel takes no fields (an Idempotency-Key header at most); its body is optional. */
export const CancelBody = Type.Object({}, { additionalProperties: false });

export const IdParams = Type.Object({ id: IdOf("The booking's id") });
export const OwnerQuery = Type.Object(
  {
    user_id: Type.Optional(
      IdOf("Optional: the user the booking must belong to, or it is 404; a customer's token always means its own"),
    ),
  },
  { additionalProperties: false },
);

export const ListQuery = Type.Object(
  {
    /** The token's user for a customer (ownership.ts). */
    user_id: Type.Optional(
      IdOf("Whose bookings: a customer's own id or left out; required for an admin and with AUTH_MODE=off"),
    ),
    limit: Defaulted(
      Type.Integer({
        minimum: 1,
        maximum: 100,
        default: 20,
        description: "Most bookings per page (1-100, default 20)",
      }),
    ),
    cursor: Type.Optional(
      IdOf(
        "The previous page's next_cursor (the last booking id it listed): the page lists older bookings; leave out for the first page",
      ),
    ),
  },
  { additionalProperties: false },
);

export const ListBody = Type.Object({
  bookings: Type.Array(BookingView),
  next_cursor: Nullable(Type.String()),
});

export { ErrorBody };
