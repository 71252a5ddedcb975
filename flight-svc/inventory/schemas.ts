import { type Static, Type } from "@sinclair/typebox";
import { ErrorBody } from "../../lib/errors.js";
import { CalendarDate, Id } from "../../lib/input-schemas.js";

export const HoldId = Type.String({ pattern: "^[A-Za-z0-9_-]{1,64}$" });

/** The longest a hold may live (HOLD_TTL_SECONDS has the same bound). */
export const MAX_HOLD_TTL_SECONDS = 1800;

export const HoldBody = Type.Object(
  {
    flight_ids: Type.Array(Id, { minItems: 1, maxItems: 4, uniqueItems: true }),
    seats: Type.Integer({ minimum: 1, maximum: 9 }),
    /** Default: HOLD_TTL_SECONDS. */
    ttl_seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_HOLD_TTL_SECONDS })),
    hold_id: Type.Optional(HoldId),
  },
  { additionalProperties: false },
);
export type HoldBody = Static<typeof HoldBody>;

export const HoldParams = Type.Object({ id: HoldId });

const IsoTime = Type.String({ format: "date-time" });

export const PlacedHoldBody = Type.Object({
  hold_id: Type.String(),
  status: Type.Union([Type.Literal("held"), Type.Literal("confirmed")]),
  seats: Type.Integer(),
  expires_at: IsoTime,
  legs: Type.Array(Type.Object({ flight_id: Type.Integer(), available_seats: Type.Integer() })),
});

const LegIds = Type.Array(Type.Object({ flight_id: Type.Integer() }));

export const HoldViewBody = Type.Object({
  hold_id: Type.String(),
  status: Type.Union(["held", "confirmed", "released", "expired", "cancelled"].map((s) => Type.Literal(s))),
  seats: Type.Integer(),
  expires_at: Type.Union([IsoTime, Type.Null()]),
  legs: LegIds,
});

export const ConfirmedBody = Type.Object({
  hold_id: Type.String(),
  status: Type.Literal("confirmed"),
  seats: Type.Integer(),
  legs: LegIds,
});

export const ReleasedBody = Type.Object({
  hold_id: Type.String(),
  status: Type.Union([Type.Literal("released"), Type.Literal("cancelled")]),
  seats_returned: Type.Boolean(),
});

export const SeatChangeBody = Type.Object(
  {
    flight_id: Id,
    seats: Type.Integer({ minimum: 1, maximum: 1000 }),
    date: CalendarDate,
  },
  { additionalProperties: false },
);
export type SeatChangeBody = Static<typeof SeatChangeBody>;

export const SeatChangeResult = Type.Object({
  success: Type.Boolean(),
  flight_id: Type.Integer(),
  available_seats: Type.Integer(),
});

export const ValidateResult = Type.Object({
  valid: Type.Boolean(),
  message: Type.Optional(Type.String()),
  price: Type.Number(),
  available_seats: Type.Integer(),
  flight_id: Type.Integer(),
});

export const ReconcileBody = Type.Object({ repair: Type.Boolean({ default: false }) }, { additionalProperties: false });

export const ReconcileResult = Type.Object({
  flights_checked: Type.Integer(),
  drift: Type.Array(Type.Object({ flight_id: Type.Integer(), redis: Type.Integer(), expected: Type.Integer() })),
  repaired: Type.Integer(),
});

export const Errors = { "4xx": ErrorBody, "5xx": ErrorBody };
