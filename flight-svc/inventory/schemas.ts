import { type Static, Type } from "@sinclair/typebox";
import { ErrorBody } from "../../lib/errors.js";
import { Defaulted } from "../../lib/input-schemas.js";

// The inventory's own routes; what booking-svc calls is in contracts/flight-svc/.

export const SeatChangeResult = Type.Object({
  success: Type.Boolean(),
  flight_id: Type.Integer(),
  available_seats: Type.Integer(),
});

export const ReconcileBody = Type.Object(
  {
    repair: Defaulted(
      Type.Boolean({
        default: false,
        description: "true: rebuild each drifted counter (and seat map) from PostgreSQL; default false, report only",
      }),
    ),
  },
  { additionalProperties: false },
);

export const ReconcileResult = Type.Object({
  flights_checked: Type.Integer(),
  drift: Type.Array(Type.Object({ flight_id: Type.Integer(), redis: Type.Integer(), expected: Type.Integer() })),
  repaired: Type.Integer(),
  /** Seat maps whose seats differ from seat_assignments (PostgreSQL is the truth); only when some do. */
  seat_drift: Type.Optional(Type.Array(Type.Object({ flight_id: Type.Integer(), seats: Type.Array(Type.String()) }))),
  seat_maps_repaired: Type.Optional(Type.Integer()),
});
export type ReconcileReport = Static<typeof ReconcileResult>;
export type Drift = ReconcileReport["drift"][number];

export const Errors = { "4xx": ErrorBody, "5xx": ErrorBody };
