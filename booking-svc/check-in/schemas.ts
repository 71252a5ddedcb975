import { type Static, Type } from "@sinclair/typebox";
import { SeatLabel } from "../../contracts/flight-svc/seats.js";
import { IdOf, Text } from "../../lib/input-schemas.js";

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
            passenger: Type.Optional(
              Text(
                100,
                'The passenger\'s name as booked ("Passenger 1"… for a booking without names); give this or passenger_number',
              ),
            ),
            passenger_number: Type.Optional(
              Type.Integer({
                minimum: 1,
                maximum: 9,
                description:
                  "The passenger's place in the booking, from 1 (the last number of the boarding pass id); names two passengers of one name apart",
              }),
            ),
            flight_id: IdOf("Which of the booking's flights the seat is on"),
            seat: Type.String({
              ...SeatLabel,
              description:
                "The seat wanted as the flight's seat map names it (row and letter, such as 12A); must be free",
            }),
          },
          { additionalProperties: false },
        ),
        {
          maxItems: 36,
          description:
            "Optional: seats to choose, at most one per passenger and flight; passengers not named keep their seat or get a free one",
        },
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
  {
    barcode: Type.String({
      minLength: 1,
      maxLength: 4096,
      description: 'The boarding pass barcode as issued, the text starting "SB1."',
    }),
  },
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
