import { type Static, Type } from "@sinclair/typebox";
import { SeatLabel } from "../../contracts/flight-svc/seats.js";
import { Id, Text } from "../../lib/input-schemas.js";

/**
 * POST /api/bookings/:id/check-in: seats asked for (optional); everyone else keeps or gets one.
 * Each names its passenger by `passenger` or `passenger_number`, one of the two (service.ts).
 */
export const CheckInBody = Type.Object(
  {
    seats: Type.Optional(
      Type.Array(
        Type.Object(
          {
            /** A passenger's name as booked ("Passenger 1"… for a booking without names). */
            passenger: Type.Optional(Text(100)),
            /**
             * The passenger's place in the booking, from 1, as booked (the last number of the
             * boarding pass id): it names every passenger, two of the same name included.
             */
            passenger_number: Type.Optional(Type.Integer({ minimum: 1, maximum: 9 })),
            flight_id: Id,
            seat: SeatLabel,
          },
          { additionalProperties: false },
        ),
        { maxItems: 36 },
      ),
    ),
  },
  { additionalProperties: false },
);
export type CheckInBody = Static<typeof CheckInBody>;

export const BoardingPassView = Type.Object({
  boarding_pass_id: Type.String(),
  passenger: Type.String(),
  flight_id: Type.Integer(),
  flight_number: Type.String(),
  seat: Type.String(),
  boarding_time: Type.String({ format: "date-time" }),
  sequence: Type.Integer(),
  barcode: Type.String(),
});

export const BoardingPasses = Type.Object({
  booking_id: Type.Integer(),
  boarding_passes: Type.Array(BoardingPassView),
});

export const VerifyBody = Type.Object(
  { barcode: Type.String({ minLength: 1, maxLength: 4096 }) },
  { additionalProperties: false },
);

/** valid: signed by this service and still the booking's pass; otherwise why not. */
export const VerifyResult = Type.Object({
  valid: Type.Boolean(),
  reason: Type.Optional(
    Type.Union([Type.Literal("malformed"), Type.Literal("bad_signature"), Type.Literal("not_current")]),
  ),
  boarding_pass: Type.Optional(BoardingPassView),
});

export const PublicKeyView = Type.Object({
  alg: Type.Literal("EdDSA"),
  kid: Type.String(),
  public_key_pem: Type.String(),
  jwk: Type.Object({ kty: Type.Literal("OKP"), crv: Type.Literal("Ed25519"), x: Type.String() }),
});
